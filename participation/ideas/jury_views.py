"""The jurors' side: the submissions assigned to me, and scoring (or recusing from) one."""


def my_reviews(request):
    raise NotImplementedError


def review(request, assignment_id):
    raise NotImplementedError
