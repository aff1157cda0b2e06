from browser import ajax

def read(req):
    assert isinstance(req.text, bytes)
    print("bytes ok")

ajax.get("test.txt", mode="binary", oncomplete=read)
