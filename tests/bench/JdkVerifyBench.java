// JdkVerifyBench SECONDS LABEL=FILE... : the JDK's own XML-DSig (javax.xml.crypto, DOM) on the
// bench's packet files (records "<length>\n<bytes>"), one thread, as a Java-based axis runs it:
// parse (namespace-aware DOM, no DTDs), secure validation on, the key taken from the first
// X509Certificate of KeyInfo (no chain check: that is what "XML-DSig verify alone" means here).
// Each packet must verify (a self-check). Rate per CPU-second after warm-ups (the JIT), over at
// least SECONDS, counting the CPU time of the whole JVM (its garbage collector and JIT threads are
// part of what verifying costs a core). Prints one JSON object:
// {"LABEL":{"bytes":..,"jdk_docs_per_s_per_core":..},...}. Compiled by tests/bench/run.sh with Debian's JDK; bench only.
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.lang.management.ManagementFactory;
import java.security.Key;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorException;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.XMLStructure;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.X509Data;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

public final class JdkVerifyBench {
    /** The first X509Certificate in KeyInfo/X509Data: the signer's, as the bus's packets put it. */
    static final class FirstCertificate extends KeySelector {
        @Override
        public KeySelectorResult select(KeyInfo info, Purpose purpose, AlgorithmMethod method,
                                        XMLCryptoContext context) throws KeySelectorException {
            if (info != null) {
                for (Object item : info.getContent()) {
                    if (item instanceof X509Data) {
                        for (Object c : ((X509Data) item).getContent()) {
                            if (c instanceof X509Certificate) {
                                final Key key = ((X509Certificate) c).getPublicKey();
                                return () -> key;
                            }
                        }
                    }
                }
            }
            throw new KeySelectorException("no X509Certificate in KeyInfo");
        }
    }

    static List<byte[]> readPackets(String path, int limit) throws Exception {
        List<byte[]> packets = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new FileInputStream(path))) {
            while (packets.size() < limit) {
                StringBuilder length = new StringBuilder();
                int c;
                while ((c = in.read()) != '\n') {
                    if (c < 0) {
                        return packets;
                    }
                    length.append((char) c);
                }
                byte[] packet = new byte[Integer.parseInt(length.toString().trim())];
                in.readFully(packet);
                packets.add(packet);
            }
        } catch (EOFException e) {
            throw new IllegalStateException(path + ": truncated packet");
        }
        return packets;
    }

    static DocumentBuilder builder() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder();
    }

    static void verify(DocumentBuilder db, XMLSignatureFactory fac, byte[] packet) throws Exception {
        Document doc = db.parse(new ByteArrayInputStream(packet));
        NodeList nl = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
        if (nl.getLength() == 0) {
            throw new IllegalStateException("no Signature");
        }
        DOMValidateContext ctx = new DOMValidateContext(new FirstCertificate(), nl.item(0));
        ctx.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
        XMLSignature signature = fac.unmarshalXMLSignature(ctx);
        if (!signature.validate(ctx)) {
            throw new IllegalStateException("signature does not verify");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: JdkVerifyBench SECONDS LABEL=FILE...");
            System.exit(2);
        }
        final double seconds = Double.parseDouble(args[0]);
        final com.sun.management.OperatingSystemMXBean cpu =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        final DocumentBuilder db = builder();
        final XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
        // Warm-up over every file first (SECONDS of CPU each), so that the JIT has compiled the
        // whole path before the first measurement: on one core it compiles on the measuring core.
        // Shorter warm-ups measured the JVM before C2 had finished: 2,520 docs/s for the 7 KB
        // packet after 1.5 s, 6,904 after 14 s; a Java axis runs for days, so its best counts.
        final List<List<byte[]>> files = new ArrayList<>();
        for (int i = 1; i < args.length; ++i) {
            files.add(readPackets(args[i].substring(args[i].indexOf('=') + 1), 16));
        }
        for (List<byte[]> f : files) {
            final long warmAll = cpu.getProcessCpuTime();
            for (int n = 0; !f.isEmpty()
                            && cpu.getProcessCpuTime() - warmAll < seconds * 1e9;
                 ++n) {
                db.reset();
                verify(db, fac, f.get(n % f.size()));
            }
        }
        StringBuilder json = new StringBuilder("{");
        for (int i = 1; i < args.length; ++i) {
            final int eq = args[i].indexOf('=');
            final String label = args[i].substring(0, eq);
            final List<byte[]> packets = files.get(i - 1);
            if (packets.isEmpty()) {
                throw new IllegalStateException(label + ": no packets");
            }
            // Warm-up again on this file: twice the measuring time (at least 3 packets).
            long warm = cpu.getProcessCpuTime();
            for (int n = 0; n < 3 || cpu.getProcessCpuTime() - warm < 2 * seconds * 1e9; ++n) {
                db.reset();
                verify(db, fac, packets.get(n % packets.size()));
            }
            final long start = cpu.getProcessCpuTime();
            long n = 0;
            double used = 0;
            while (used < seconds || n < 5) {
                db.reset();
                verify(db, fac, packets.get((int) (n % packets.size())));
                ++n;
                used = (cpu.getProcessCpuTime() - start) / 1e9;
            }
            json.append(i == 1 ? "" : ",")
                .append(String.format("\"%s\":{\"bytes\":%d,\"jdk_docs_per_s_per_core\":%.1f}",
                                      label, packets.get(0).length, n / used));
        }
        System.out.println(json.append('}'));
    }
}
