from browser import ajax

def read(req):
    assert isinstance(req.read(), bytes)
    print("read bytes", len(req.read()))

ajax.get("picture.png", mode="binary", oncomplete=read)
