// Oracle for test/keys/dn.test.ts: prints what Java (and so Alipay's Java SDK, AntCertificationUtil)
// hashes for a certificate SN: getIssuerX500Principal().getName() + getSerialNumber(), then the MD5.
// Non-ASCII and control characters are printed as \uXXXX. Usage:
//   javac CertSn.java && java -cp . CertSn cert.der [...]
// The values in dn.test.ts were recorded with OpenJDK 17.0.15 on certificates built the way that
// test builds them (helpers/names.ts `graft`) and saved as DER; only issuer and serial matter,
// and both are fixed by the test.
import java.io.*;
import java.nio.file.*;
import java.security.MessageDigest;
import java.security.cert.*;
import java.math.BigInteger;
public class CertSn {
  static String esc(String s) { StringBuilder b = new StringBuilder(); for (char c : s.toCharArray()) { if (c < 32 || c > 126) b.append(String.format("\\u%04x", (int) c)); else b.append(c); } return b.toString(); }
  public static void main(String[] a) throws Exception {
    CertificateFactory f = CertificateFactory.getInstance("X.509");
    for (String p : a) {
      X509Certificate c = (X509Certificate) f.generateCertificate(new FileInputStream(p));
      String in = c.getIssuerX500Principal().getName() + c.getSerialNumber();
      MessageDigest md = MessageDigest.getInstance("MD5");
      byte[] d = md.digest(in.getBytes("UTF-8"));
      String hex = new BigInteger(1, d).toString(16);
      while (hex.length() < 32) hex = "0" + hex;
      System.out.println(p + " " + esc(in) + " " + hex + " " + c.getSigAlgOID());
    }
  }
}
