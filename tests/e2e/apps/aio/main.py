"""Scenarios for tests/e2e/test_aio.py: each is an async function the test starts through
`window.__aio_scenario__(name, json_args)`; the promise resolves to a JSON report."""

import asyncio
import json
import time

import js
from pyodide.ffi import JsException, create_proxy

from framework import Signal, aio, resource
from framework.aio import client

clicks = js.document.createElement("button")
clicks.id = "clicks"
clicks.textContent = "0"
js.document.body.append(clicks)


def count_click(event):
    clicks.textContent = str(int(clicks.textContent) + 1)


_count_click = create_proxy(count_click)
clicks.addEventListener("click", _count_click)


def error_report(error):
    return {
        "error": type(error).__name__,
        "message": str(error),
        "mro": [cls.__name__ for cls in type(error).__mro__],
        "attempts": getattr(error, "attempts", None),
    }


def request_report(req):
    return {
        "status": req.status,
        "statusText": req.statusText,
        "data": req.data,
        "attempts": req.attempts,
    }


async def timed(awaitable):
    start = time.monotonic()
    try:
        result = {"result": await awaitable}
    except asyncio.CancelledError:
        result = {"error": "CancelledError"}
    except Exception as error:  # noqa: BLE001 - reported to the test
        result = error_report(error)
    result["elapsed"] = time.monotonic() - start
    return result


async def get_report(url, **options):
    return request_report(await aio.get(url, **options))


async def hang_with_timeout(id, timeout):
    return await timed(aio.get(f"/api/hang?id={id}", timeout=timeout))


async def hang_with_default_timeout(id, default):
    saved, client.DEFAULT_TIMEOUT = client.DEFAULT_TIMEOUT, default
    try:
        return await timed(aio.get(f"/api/hang?id={id}"))
    finally:
        client.DEFAULT_TIMEOUT = saved


async def status(code, raise_for_status=False, format="text"):
    return await timed(
        get_report(f"/api/status/{code}", raise_for_status=raise_for_status, format=format)
    )


async def fetch_url(url, timeout=5):
    return await timed(get_report(url, timeout=timeout))


async def cancel_midway(id):
    task = aio.run(aio.get(f"/api/hang?id={id}", timeout=None))
    await aio.sleep(0.5)
    task.cancel()
    report = await timed(task)
    report["running"] = len(aio.running._running)
    return report


async def retry(key, method="GET", retries=2, fails=2, after=1):
    url = f"/api/retry-after?key={key}&fails={fails}&after={after}"
    return await timed(get_report_method(method, url, retries=retries))


async def get_report_method(method, url, **options):
    return request_report(await aio.ajax(method, url, **options))


async def background_sleep(seconds):
    async def sleeper():
        start = time.monotonic()
        await aio.sleep(seconds)
        js.document.body.dataset.slept = f"{time.monotonic() - start:.2f}"

    aio.run(sleeper())
    return "started"


async def event_then_cancel():
    button = js.document.getElementById("clicks")
    task = aio.run(aio.event(button, "click", "keydown"))
    await aio.sleep(0.1)
    task.cancel()
    return await timed(task)


async def event_first_of():
    button = js.document.getElementById("clicks")
    waiter = aio.run(aio.event(button, "keydown", "click"))
    await aio.sleep(0.1)
    button.click()
    evt = await waiter
    return evt.type


async def many(ok, hanging, timeout, hang_base):
    fast = [get_report(f"/api/echo?n={i}", timeout=timeout) for i in range(ok)]
    slow = [get_report(f"{hang_base}/api/hang?id=many{i}", timeout=timeout) for i in range(hanging)]
    start = time.monotonic()
    results = await aio.gather(*fast, *slow, return_exceptions=True)
    summary = {"ok": 0, "timeouts": 0, "other": [], "elapsed": time.monotonic() - start}
    for result in results:
        if isinstance(result, aio.RequestTimeout):
            summary["timeouts"] += 1
        elif isinstance(result, dict) and result["status"] == 200:
            summary["ok"] += 1
        else:
            summary["other"].append(repr(result))
    return summary


async def js_rejections():
    # Made without eval: the dev server's Trusted Types refuse strings as code. (None is
    # undefined in JavaScript.)
    reasons = {
        "'x'": "x",
        "undefined": None,
        "({})": js.Object.new(),
        "new Error('boom')": js.Error.new("boom"),
    }
    reports = []
    for label, reason in reasons.items():
        try:
            await aio.wait_for(js.Promise.reject(reason), 3)
        except JsException as error:
            reports.append({"type": type(error).__name__, "message": str(error)})
        except TimeoutError:
            reports.append({"type": "hang", "message": label})
    return reports


async def bad_json():
    return await timed(get_report("/api/bad-json", format="json"))


async def formats():
    text = await aio.get("/api/large?size=300", format="text")
    binary = await aio.get("/api/large?size=300", format="binary")
    data_url = await aio.get("/api/large?size=3", format="dataURL")
    echo = await aio.post("/api/echo", data={"x": 0, "y": 1}, format="json")
    as_json = await aio.post("/api/echo", json={"a": [1, 2]}, format="json")
    return {
        "text": len(text.data),
        "binary": [len(binary.data), type(binary.data).__name__, binary.data[:3].hex()],
        "dataURL": data_url.data,
        "form_body": echo.data["body"],
        "form_type": echo.data["headers"]["content-type"],
        "json_body": as_json.data["body"],
        "headers": sorted(k.lower() for k in text.response_headers),
    }


async def upload_progress(size):
    seen = []
    form = js.FormData.new()
    form.append("file", js.Blob.new([js.Uint8Array.new(size)]), "big.bin")
    req = await aio.post(
        "/api/upload", data=form, format="json", on_upload_progress=lambda p: seen.append(list(p))
    )
    return {
        "status": req.status,
        "data": req.data,
        "progress": seen[-1] if seen else None,
        "events": len(seen),
    }


async def download_progress(size):
    seen = []
    req = await aio.get(
        f"/api/large?size={size}",
        format="binary",
        on_download_progress=lambda p: seen.append(list(p)),
    )
    return {"size": len(req.data), "last": seen[-1] if seen else None}


async def cancel_upload(id):
    seen = []
    body = js.Blob.new([js.Uint8Array.new(50_000_000)])
    task = aio.run(
        aio.post(
            f"/api/hang?id={id}",
            data=body,
            timeout=None,
            on_upload_progress=lambda p: seen.append(p.loaded),
        )
    )
    await aio.sleep(1)
    task.cancel()
    return await timed(task)


async def run_reports_error():
    async def broken():
        await aio.sleep(0)
        raise ValueError("unhandled in a task: code 5531")

    aio.run(broken())
    return "started"


async def resource_latest(id):
    """A resource whose source changes twice while its loads hang: only the last load's result
    shows; the two loads before it were cancelled (the test asks the server if they aborted)."""

    async def load(key):
        url = "/api/echo?key=c" if key == "c" else f"/api/hang?id={id}-{key}"
        request = await aio.get(url, timeout=None, format="json")
        return request.data["query"]["key"]

    source = Signal("a")
    loaded = resource(load, source=source)
    for key in ("b", "c"):
        await aio.sleep(0.3)  # the hanging request is at the server by then
        source.value = key
    for _ in range(250):
        if not loaded.loading:
            break
        await aio.sleep(0.02)
    report = {"value": loaded.value, "loading": loaded.loading}
    loaded.dispose()
    return report


SCENARIOS = {
    f.__name__: f
    for f in [
        hang_with_timeout,
        hang_with_default_timeout,
        status,
        fetch_url,
        cancel_midway,
        retry,
        background_sleep,
        event_then_cancel,
        event_first_of,
        many,
        js_rejections,
        bad_json,
        formats,
        upload_progress,
        download_progress,
        cancel_upload,
        run_reports_error,
        resource_latest,
    ]
}


async def play(name, args):
    return json.dumps(await SCENARIOS[name](**json.loads(args)))


def start(name, args):
    return asyncio.ensure_future(play(name, args))


js.window.__aio_scenario__ = create_proxy(start)
js.document.getElementById("app").textContent = "scenarios ready"
