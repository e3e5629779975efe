#include "support/pdf_signing.hpp"

// qpdf 11: std::shared_ptr only, no PointerHolder compatibility (qpdf/PointerHolder.hh).
#define POINTERHOLDER_TRANSITION 4

#include <openssl/cms.h>
#include <openssl/pem.h>
#include <sys/wait.h>

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

namespace lienthong::test {
namespace {

void write_bytes(const std::string& path, const std::string& bytes) {
    std::unique_ptr<FILE, decltype(&fclose)> f{fopen(path.c_str(), "wb"), fclose};
    if (!f || fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size()) {
        throw std::runtime_error("cannot write " + path);
    }
}

void run(const std::string& cmd) {
    const int rc = std::system(cmd.c_str());
    if (rc != 0) {
        throw std::runtime_error("command failed (" + std::to_string(rc) + "): " + cmd);
    }
}

std::string capture(const std::string& cmd) {
    std::unique_ptr<FILE, decltype(&pclose)> pipe{popen(cmd.c_str(), "r"), pclose};
    if (!pipe) {
        throw std::runtime_error("cannot run " + cmd);
    }
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe.get())) > 0;) {
        out.append(buf, n);
    }
    return out;
}

std::mutex nss_mutex;

// One NSS database per identity (NSS would merge identities with equal subjects under one
// nickname), made once per test process; nickname "signer". The empty password is fine here.
std::string nss_db_for(const std::string& dir) {
    static std::map<std::string, std::string> dbs;
    std::lock_guard lock(nss_mutex);
    if (auto it = dbs.find(dir); it != dbs.end()) {
        return it->second;
    }
    const auto db = make_temp_dir("lienthong-nss");
    run("certutil -N -d sql:" + db + " --empty-password");
    run("openssl pkcs12 -export -inkey '" + dir + "/key.pem' -in '" + dir +
        "/cert.pem' -certfile '" + dir + "/chain.pem' -name signer -passout pass: -out " + db +
        "/id.p12");
    run("pk12util -i " + db + "/id.p12 -d sql:" + db + " -W '' > /dev/null");
    dbs[dir] = db;
    return db;
}

std::string verifier_db() {
    static std::string db;
    std::lock_guard lock(nss_mutex);
    if (db.empty()) {
        db = make_temp_dir("lienthong-nss-verify");
        run("certutil -N -d sql:" + db + " --empty-password");
        run("certutil -A -d sql:" + db + " -n root -t CT,C,C -i '" + anchors_dir() + "/root.pem'");
        run("certutil -A -d sql:" + db + " -n issuing -t ,, -i '" + intermediates_dir() +
            "/intermediate.pem'");
    }
    return db;
}

std::string to_hex(const unsigned char* p, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out;
}

}  // namespace

std::string make_pdf(const std::string& text, int pages, std::size_t padding_bytes) {
    QPDF q;
    q.emptyPDF();
    auto font = q.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"));
    for (int i = 0; i < pages; ++i) {
        auto page = q.makeIndirectObject(QPDFObjectHandle::parse(
            "<< /Type /Page /MediaBox [0 0 595 842] /Resources << /Font << >> >> >>"));
        page.getKey("/Resources").getKey("/Font").replaceKey("/F1", font);
        std::string content = "BT /F1 14 Tf 72 760 Td (" + text + ") Tj ET\n";
        if (i == 0 && padding_bytes > 0) {
            const auto side = std::to_string(padding_bytes / 3);
            auto image = q.newStream(std::string(padding_bytes / 3 * 3, '\x5a'));
            image.replaceDict(QPDFObjectHandle::parse(
                "<< /Type /XObject /Subtype /Image /Width " + side +
                " /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8 >>"));
            auto xobjects = QPDFObjectHandle::newDictionary();
            xobjects.replaceKey("/Im1", image);
            page.getKey("/Resources").replaceKey("/XObject", xobjects);
            content += "q 100 0 0 10 72 700 cm /Im1 Do Q\n";
        }
        page.replaceKey("/Contents", q.newStream(content));
        q.addPage(page, false);
    }
    QPDFWriter w(q);
    w.setOutputMemory();
    w.setStaticID(true);
    // Plain text content: the tests find and change bytes inside the signed page content.
    w.setCompressStreams(false);
    w.write();
    auto buf = w.getBufferSharedPointer();
    return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
}

std::string pdfsig_sign(const std::string& pdf, const std::string& dir) {
    const auto db = nss_db_for(dir);
    const auto work = make_temp_dir("lienthong-pdfsig");
    write_bytes(work + "/in.pdf", pdf);
    run("pdfsig -nssdir sql:" + db + " -add-signature -nick signer " + work + "/in.pdf " + work +
        "/out.pdf > " + work + "/log.txt 2>&1");
    return read_file(work + "/out.pdf");
}

std::vector<pdfsig_signature> pdfsig_verify(const std::string& pdf) {
    const auto db = verifier_db();
    const auto work = make_temp_dir("lienthong-pdfsig");
    write_bytes(work + "/in.pdf", pdf);
    const auto text = capture("pdfsig -nssdir sql:" + db + " " + work + "/in.pdf 2>/dev/null");
    std::vector<pdfsig_signature> out;
    static const std::regex line(
        R"(^\s*- (Signature Validation|Certificate Validation): (.*)$|^\s*- (Total document signed|Not total document signed)$)");
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) {
        if (l.rfind("Signature #", 0) == 0) {
            out.emplace_back();
        }
        std::smatch m;
        if (out.empty() || !std::regex_match(l, m, line)) {
            continue;
        }
        if (m[1] == "Signature Validation") {
            out.back().signature_validation = m[2];
        } else if (m[1] == "Certificate Validation") {
            out.back().certificate_validation = m[2];
        } else {
            out.back().total_document_signed = m[3] == "Total document signed";
        }
    }
    return out;
}

std::size_t offset_of(const std::string& pdf, const std::string& needle) {
    const auto at = pdf.find(needle);
    if (at == std::string::npos) {
        throw std::runtime_error("not in the PDF: " + needle);
    }
    return at;
}

}  // namespace lienthong::test

namespace lienthong::test {

std::string resign_as_cades(const std::string& signed_pdf, const std::string& dir) {
    std::string pdf = signed_pdf;
    static const std::regex range_re(R"(/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\])");
    std::smatch m, last;
    for (auto it = pdf.cbegin(); std::regex_search(it, pdf.cend(), m, range_re); it = m[0].second) {
        last = m;
    }
    if (last.empty()) {
        throw std::runtime_error("no ByteRange to re-sign");
    }
    const auto a = std::stoul(last[2]), b = std::stoul(last[3]), c = std::stoul(last[4]);
    const auto sub = pdf.rfind("/adbe.pkcs7.detached");
    if (sub == std::string::npos) {
        throw std::runtime_error("no adbe.pkcs7.detached to rename");
    }
    pdf.replace(sub, 20, "/ETSI.CAdES.detached");
    const std::string data = pdf.substr(0, a) + pdf.substr(b, c);
    std::unique_ptr<FILE, decltype(&fclose)> kf{fopen((dir + "/key.pem").c_str(), "r"), fclose};
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{
        kf ? PEM_read_PrivateKey(kf.get(), nullptr, nullptr, nullptr) : nullptr, EVP_PKEY_free};
    auto chain = bus::crypto::load_certificates(dir + "/chain.pem");
    if (!key || !chain || chain->empty()) {
        throw std::runtime_error("cannot read the identity in " + dir);
    }
    bus::crypto::x509_stack_ptr extra{sk_X509_new_null()};
    for (std::size_t i = 1; i < chain->size(); ++i) {
        sk_X509_push(extra.get(), (*chain)[i].get());
    }
    std::unique_ptr<BIO, decltype(&BIO_free)> in{
        BIO_new_mem_buf(data.data(), static_cast<int>(data.size())), BIO_free};
    std::unique_ptr<CMS_ContentInfo, decltype(&CMS_ContentInfo_free)> cms{
        CMS_sign((*chain)[0].get(), key.get(), extra.get(), in.get(),
                 CMS_DETACHED | CMS_BINARY | CMS_CADES),
        CMS_ContentInfo_free};
    unsigned char* der = nullptr;
    const int len = cms ? i2d_CMS_ContentInfo(cms.get(), &der) : -1;
    if (len <= 0) {
        throw std::runtime_error("CMS_sign failed");
    }
    std::string hex = to_hex(der, static_cast<std::size_t>(len));
    OPENSSL_free(der);
    if (hex.size() > b - a - 2) {
        throw std::runtime_error("the CAdES signature does not fit the /Contents gap");
    }
    hex.resize(b - a - 2, '0');
    pdf.replace(a + 1, hex.size(), hex);
    return pdf;
}

}  // namespace lienthong::test
