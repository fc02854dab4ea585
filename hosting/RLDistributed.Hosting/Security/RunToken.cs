using System.Security.Cryptography;
using System.Text;

namespace RLDistributed.Hosting.Security;

/// <summary>
/// The shared secret of one run: every gRPC call carries it as <c>authorization: Bearer TOKEN</c>, and every tcp
/// ring connection in its handshake. It is never logged and never put on a command line.
/// </summary>
public sealed class RunToken
{
    /// <summary>The metadata key the token travels in.</summary>
    public const string HeaderName = "authorization";

    /// <summary>The scheme before the token in <see cref="HeaderName"/>.</summary>
    public const string Scheme = "Bearer ";

    /// <summary>The longest token accepted, in UTF-8 bytes (it also bounds the tcp handshake).</summary>
    public const int MaxBytes = 1024;

    /// <summary>The shortest token accepted: 16 characters, so that a typo'd or placeholder secret fails at start-up.</summary>
    public const int MinLength = 16;

    // Compared as SHA-256 digests with a fixed-time comparison: neither the content nor the length of the
    // token leaks through the time a refusal takes.
    private readonly byte[] _digest;

    private RunToken(string value)
    {
        Value = value;
        _digest = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The secret itself (sent by clients; never logged).</summary>
    public string Value { get; }

    /// <summary>The value of the authorization header.</summary>
    public string HeaderValue => Scheme + Value;

    /// <summary>Makes a token from a configured value; <paramref name="setting"/> names it in the error.</summary>
    /// <exception cref="ArgumentException">the value is empty, too short, too long or holds white space.</exception>
    public static RunToken From(string value, string setting)
    {
        var trimmed = value.Trim();
        if (trimmed.Length < MinLength)
            throw new ArgumentException($"{setting}: the run token must have at least {MinLength} characters");
        if (Encoding.UTF8.GetByteCount(trimmed) > MaxBytes)
            throw new ArgumentException($"{setting}: the run token must have at most {MaxBytes} bytes");
        if (trimmed.Any(char.IsWhiteSpace) || trimmed.Any(char.IsControl))
            throw new ArgumentException($"{setting}: the run token must not contain white space or control characters");
        return new RunToken(trimmed);
    }

    /// <summary>Reads a token file (a mounted Kubernetes Secret); a trailing newline is ignored.</summary>
    /// <exception cref="ArgumentException">the file is missing, too large or holds no valid token (the message names the setting and the file).</exception>
    public static RunToken FromFile(string path, string setting)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new ArgumentException($"{setting}: {path}: no such file");
        if (file.Length > MaxBytes + 16) throw new ArgumentException($"{setting}: {path}: {file.Length} bytes is too long for a run token");
        return From(File.ReadAllText(path), $"{setting} ({path})");
    }

    /// <summary>A fresh random token (32 bytes, hex) for a local cluster.</summary>
    public static RunToken Generate() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));

    /// <summary>Whether <paramref name="presented"/> is this token, in time independent of where they differ.</summary>
    public bool Matches(ReadOnlySpan<char> presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(presented.ToArray());
        SHA256.HashData(bytes, digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }

    /// <summary>Whether an authorization header value carries this token.</summary>
    public bool MatchesHeader(string? header) =>
        header is not null && header.Length <= Scheme.Length + MaxBytes
        && header.StartsWith(Scheme, StringComparison.Ordinal) && Matches(header.AsSpan(Scheme.Length));

    /// <inheritdoc />
    public override string ToString() => "RunToken(***)";
}
