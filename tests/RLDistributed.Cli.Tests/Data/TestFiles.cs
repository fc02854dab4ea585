using System.Security.Cryptography;
using RLDistributed.Cli.Data;

namespace RLDistributed.Cli.Tests.Data;

/// <summary>Generated file contents and a scratch directory for download tests.</summary>
public static class TestFiles
{
    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes); // any bytes will do; only their hash matters
        return bytes;
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static RemoteFile Describe(string name, byte[] content) => new(name, content.Length, Sha256(content));

    public static string NewDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "rld-fetch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
