from browser.session_storage import storage

storage['session-key'] = 'kept for the tab'
print(storage['session-key'])
