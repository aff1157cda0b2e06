from browser.local_storage import storage

storage['foo'] = 'bar'
print(storage['foo'])
del storage['foo']
print('foo' in storage)
