"""QR codes pointing at a certificate's public verification page (segno)."""

import segno

# Medium error correction (segno raises it when the size allows): a printed, folded or
# photographed certificate still scans.
ERROR_LEVEL = "m"
# Pixels per module and quiet-zone modules of the embedded PNG; printed with sharp edges.
SCALE = 10
BORDER = 4


def make_qr(url):
    """The QR code (a ``segno.QRCode``) of ``url``; its ``matrix`` is what a scanner reads."""
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def certificate_qr_data_uri(url):
    """A ``data:image/png`` URI of the QR code of ``url``, to embed in the certificate."""
    return make_qr(url).png_data_uri(scale=SCALE, border=BORDER)
