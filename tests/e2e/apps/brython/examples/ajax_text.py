from browser import ajax

def read(req):
    print(req.text)

ajax.get("test.txt", oncomplete=read)
