#!/usr/bin/env python3
"""Seeds of the pdf fuzzer: small PDFs written here (the fuzzer needs inputs under its max_len;
pdfsig's output embeds a font and is ~1 MB), one unsigned, one signed with `openssl cms` over a
ByteRange in the layout of ISO 32000-1 12.8.1, one with an incremental update after the signature,
and a zip holding the signed one.  Usage: make_pdf_seeds.py OUT_DIR KEY.pem CERT.pem CHAIN.pem"""
import subprocess, sys, zipfile, os

out, key, cert, chain = sys.argv[1:5]

def pdf(objects, sig_index=None):
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

gap = 8192  # hex digits reserved for the CMS
placeholder = b"/ByteRange [0 0000000000 0000000000 0000000000]"
objects = [
    b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R] >>",
    b"<< /Length 35 >>\nstream\nBT /F1 12 Tf 72 760 Td (Seed) Tj ET\nendstream",
    b"<< /FT /Sig /T (Signature1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 6 0 R >>",
    b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached " + placeholder +
    b" /Contents <" + b"0" * gap + b"> /M (D:20261130120000Z) >>",
]
unsigned = pdf([objects[0].replace(b" /AcroForm << /Fields [5 0 R] /SigFlags 3 >>", b""),
                objects[1], objects[2].replace(b" /Annots [5 0 R]", b""), objects[3]])
doc = pdf(objects)
a = doc.index(b"/Contents <" + b"0" * 16) + len(b"/Contents ")
b = a + gap + 2
rng = b"/ByteRange [0 %010d %010d %010d]" % (a, b, len(doc) - b)
doc = doc.replace(placeholder, rng)
data = doc[:a] + doc[b:]
cms = subprocess.run(["openssl", "cms", "-sign", "-binary", "-outform", "DER", "-signer", cert,
                      "-inkey", key, "-certfile", chain, "-md", "sha256"],
                     input=data, capture_output=True, check=True).stdout
hexsig = cms.hex().encode()
assert len(hexsig) <= gap, "CMS larger than the reserved gap"
doc = doc[:a + 1] + hexsig + b"0" * (gap - len(hexsig)) + doc[b - 1:]
os.makedirs(out, exist_ok=True)
open(os.path.join(out, "unsigned.pdf"), "wb").write(unsigned)
open(os.path.join(out, "signed.pdf"), "wb").write(doc)
open(os.path.join(out, "updated.pdf"), "wb").write(
    doc + b"4 0 obj\n<< /Length 36 >>\nstream\nBT /F1 12 Tf 72 760 Td (Later) Tj ET\nendstream\nendobj\n")
with zipfile.ZipFile(os.path.join(out, "signed.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("Quyết định.pdf", doc)
