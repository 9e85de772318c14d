"""Uploading, downloading and deleting a submission's attachments (see ``attachments``)."""


def upload(request, idea_uuid):
    raise NotImplementedError


def download(request, idea_uuid, attachment_id):
    raise NotImplementedError


def delete(request, idea_uuid, attachment_id):
    raise NotImplementedError
