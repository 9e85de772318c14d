"""Background work of certificates, through the task framework (django-tasks)."""

from django_tasks import task

from . import pdf
from .models import Certificate


@task()
def generate_certificate_pdf(certificate_id):
    """Write the PDF of certificate ``certificate_id``; False when there is nothing to do.

    Safe to run twice: a certificate that already has its PDF, was revoked or no longer
    exists is left alone.
    """
    certificate = Certificate.objects.select_related("award").filter(pk=certificate_id).first()
    if certificate is None or certificate.is_revoked or certificate.is_ready:
        return False
    pdf.store_certificate_pdf(certificate)
    return True
