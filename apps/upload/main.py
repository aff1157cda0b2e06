"""The upload demo's entry: mount the page. Its API (server.py) runs in `framework serve`."""

from app import UploadApp

from framework import mount

mount(UploadApp(), "#app")
