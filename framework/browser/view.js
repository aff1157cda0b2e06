// view.js: restores the user's last saved view before Python starts (issue 18; to be written).
