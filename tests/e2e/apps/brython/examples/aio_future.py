from browser import timer, aio

async def main():
    fut = aio.Future()
    timer.set_timeout(lambda: fut.set_result("timeout!"), 2000)
    print("awaiting...")
    result = await fut
    print(f"future awaited, result: {result}")

aio.run(main())
