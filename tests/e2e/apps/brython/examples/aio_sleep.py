from browser import aio

async def main():
    print("sleeping")
    await aio.sleep(1)
    print("slept 1 s")

aio.run(main())
