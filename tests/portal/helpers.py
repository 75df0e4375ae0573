"""What a citizen types on 我要反映, and tiny files of each kind."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
SCRIPT = b"#!/bin/sh\nrm -rf /\n"

CONTENT = "幸福社区东门外的人行道有一处大坑，下雨积水，老人路过容易摔倒，希望尽快修补。"


def png(name="坑.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def answers(community, **changes) -> dict:
    street = community.parent
    data = {
        "request_type": "complaint",
        "content": CONTENT,
        "region1": street.parent_id,
        "region2": street.pk,
        "region3": community.pk,
        "address": "幸福路88号东门",
        "name": "李梅",
        "phone": "138 1234 5678",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def submit(client, community, **changes):
    return client.post(reverse("portal:submit"), answers(community, **changes))
