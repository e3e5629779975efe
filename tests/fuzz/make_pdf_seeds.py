#!/usr/bin/env python3
"""Small signed PDFs for the pdf fuzzer's seeds and the benchmark's signed document, written here
(pdfsig's output embeds a font and is ~1 MB, past the fuzzer's max_len): a one-page PDF with a
signature field whose CMS is made by `openssl cms -sign` over the ByteRange, in the layout of
ISO 32000-1 12.8.1 (adbe.pkcs7.detached).

  make_pdf_seeds.py OUT_DIR KEY.pem CERT.pem CHAIN.pem
      unsigned.pdf, signed.pdf, updated.pdf (an incremental update after the signature) and
      signed.zip (the signed one zipped, Vietnamese entry name)
  make_pdf_seeds.py --one OUT.pdf KEY.pem CERT.pem CHAIN.pem PAD_BYTES
      one signed PDF of about PAD_BYTES more bytes (an uncompressed image stream on the page)"""
import os, subprocess, sys, zipfile

GAP = 8192  # hex digits reserved for the CMS
PLACEHOLDER = b"/ByteRange [0 0000000000 0000000000 0000000000]"


def pdf(objects):
    body = b"%PDF-1.7\n"
    offsets = []
    for i, o in enumerate(objects):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        body += b"%010d 00000 n \n" % off
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


def objects_of(pad):
    content = b"BT /F1 12 Tf 72 760 Td (Seed) Tj ET\n"
    resources = b""
    extra = []
    if pad:
        side = max(1, pad // 3)
        state, data = 12345, bytearray()
        for _ in range(side * 3):  # bytes that do not compress, like a scanned page
            state = (state * 1103515245 + 12345) & 0xFFFFFFFF
            data.append((state >> 16) & 0xFF)
        extra = [b"<< /Type /XObject /Subtype /Image /Width %d /Height 1 /ColorSpace /DeviceRGB "
                 b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (side, len(data)) + bytes(data) +
                 b"\nendstream"]
        resources = b" /Resources << /XObject << /Im1 7 0 R >> >>"
        content += b"q 100 0 0 10 72 700 cm /Im1 Do Q\n"
    return [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R]" +
        resources + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /FT /Sig /T (Signature1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R "
        b"/V 6 0 R >>",
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached " + PLACEHOLDER +
        b" /Contents <" + b"0" * GAP + b"> /M (D:20261130120000Z) >>",
    ] + extra


def signed_pdf(key, cert, chain, pad=0):
    doc = pdf(objects_of(pad))
    a = doc.index(b"/Contents <" + b"0" * 16) + len(b"/Contents ")
    b = a + GAP + 2
    doc = doc.replace(PLACEHOLDER, b"/ByteRange [0 %010d %010d %010d]" % (a, b, len(doc) - b))
    cms = subprocess.run(["openssl", "cms", "-sign", "-binary", "-outform", "DER", "-signer", cert,
                          "-inkey", key, "-certfile", chain, "-md", "sha256"],
                         input=doc[:a] + doc[b:], capture_output=True, check=True).stdout
    hexsig = cms.hex().encode()
    assert len(hexsig) <= GAP, "CMS larger than the reserved gap"
    return doc[:a + 1] + hexsig + b"0" * (GAP - len(hexsig)) + doc[b - 1:]


if sys.argv[1] == "--one":
    out, key, cert, chain, pad = sys.argv[2:7]
    open(out, "wb").write(signed_pdf(key, cert, chain, int(pad)))
    sys.exit(0)
out, key, cert, chain = sys.argv[1:5]
objects = objects_of(0)
unsigned = pdf([objects[0].replace(b" /AcroForm << /Fields [5 0 R] /SigFlags 3 >>", b""),
                objects[1], objects[2].replace(b" /Annots [5 0 R]", b""), objects[3]])
doc = signed_pdf(key, cert, chain)
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "unsigned.pdf"), "wb").write(unsigned)
open(os.path.join(out, "signed.pdf"), "wb").write(doc)
open(os.path.join(out, "updated.pdf"), "wb").write(
    doc + b"4 0 obj\n<< /Length 36 >>\nstream\nBT /F1 12 Tf 72 760 Td (Later) Tj ET\nendstream\nendobj\n")
with zipfile.ZipFile(os.path.join(out, "signed.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("Quyết định.pdf", doc)
