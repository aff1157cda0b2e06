// replay.js: records input on the prerendered UI until Python is ready (issue 18; to be written).
