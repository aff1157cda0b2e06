"""The synced-store load benchmark (benchmarks/sync_load.py) run tiny, so that it cannot rot
unnoticed: a real server process, a few WebSocket clients editing one shared store for two
seconds, and the benchmark's own accounting of what was sent, acked, received and stored."""

from __future__ import annotations

from pathlib import Path

from benchmarks.sync_load import Config, run_config


def test_the_load_benchmark_loses_no_edit_and_every_client_converges(tmp_path: Path) -> None:
    # one client times its receipts, two read lightly (regular expressions): all must converge
    config = Config(clients=3, rate=5, seconds=2, processes=1, drain=10, timed=1)
    result = run_config(config, tmp_path)
    assert result["edits_made"] == result["edits_offered"] == result["acked"] == result["accepted"]
    assert result["lost"] == 0
    assert result["converged_clients"] == config.clients
    # the server (a fresh client, then the file after the stop) holds every edit
    assert [value["items"] for value in result["values"]] == [result["accepted"]] * 2
    # each other client's edit reached the timed client, and each was timed
    receipts = result["send_to_other_receipt"]
    assert receipts["count"] == result["receipts_if_all_read"] == result["accepted"] * 2 / 3
    assert 0 < receipts["p50_ms"] <= receipts["p99_ms"] <= receipts["max_ms"]
    assert result["send_to_ack"]["count"] == result["acked"]
    server = result["processes_measured"]["server 1"]
    assert server["rss_peak_mib"] > 0 and server["cpu_pct_of_one_core_while_editing"] is not None
