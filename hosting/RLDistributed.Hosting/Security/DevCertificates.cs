using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RLDistributed.Hosting.Security;

/// <summary>
/// A development CA and one certificate it signs, usable as server and as client (mutual TLS): the files a
/// Kubernetes TLS Secret holds (tls.crt, tls.key, ca.crt) plus ca.key to sign more. ECDSA P-256, so that
/// making them takes milliseconds; for development and tests only.
/// </summary>
public static class DevCertificates
{
    /// <summary>Writes ca.crt, ca.key, tls.crt and tls.key into <paramref name="directory"/>; returns their paths.</summary>
    /// <param name="directory">Created when missing.</param>
    /// <param name="names">DNS names of the certificate besides localhost (e.g. the pods' service names).</param>
    /// <param name="validFor">How long the certificates are valid.</param>
    public static IReadOnlyList<string> Write(string directory, IEnumerable<string> names, TimeSpan validFor)
    {
        Directory.CreateDirectory(directory);
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore + validFor;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=rld development CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=rld", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        // Both purposes: one certificate serves a pod's server endpoints and its calls to peers.
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        foreach (var name in names.Where(n => n.Length > 0)) if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip); else san.AddDnsName(name);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number
        using var leaf = leafRequest.Create(ca, notBefore, notAfter, serial);

        var files = new (string Name, string Pem)[]
        {
            ("ca.crt", ca.ExportCertificatePem()),
            ("ca.key", caKey.ExportPkcs8PrivateKeyPem()),
            ("tls.crt", leaf.ExportCertificatePem()),
            ("tls.key", leafKey.ExportPkcs8PrivateKeyPem()),
        };
        var paths = new List<string>();
        foreach (var (name, pem) in files)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, pem + "\n");
            // Keys readable by the owner only.
            if (name.EndsWith(".key", StringComparison.Ordinal) && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            paths.Add(path);
        }
        return paths;
    }
}
