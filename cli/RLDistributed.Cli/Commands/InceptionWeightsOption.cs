using System.CommandLine;
using RLDistributed.Cli.Hosting;
using RLDistributed.Core.Evaluation.Quality;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// <c>--inception-weights FILE</c>, else the environment variable <see cref="EnvironmentVariable"/>: pytorch-fid's
/// Inception weights, with which <c>rld eval</c> also reports the standard FID of an image model.
/// </summary>
public static class InceptionWeightsOption
{
    /// <summary>The environment variable read when the flag is not given.</summary>
    public const string EnvironmentVariable = "RLD_FID_INCEPTION_WEIGHTS";

    /// <summary>The option.</summary>
    public static Option<string?> Create() => new("--inception-weights")
    {
        Description = $"pytorch-fid's Inception weights ({InceptionFeatures.ReleaseFileName}) for the standard FID of image models (default ${EnvironmentVariable})",
    };

    /// <summary>The weights file to use, or null for none; a named file that does not exist is a usage error naming where it came from.</summary>
    public static string? Resolve(string? flagValue)
    {
        var (path, source) = flagValue is { Length: > 0 }
            ? (flagValue, "--inception-weights")
            : (Environment.GetEnvironmentVariable(EnvironmentVariable), EnvironmentVariable);
        if (string.IsNullOrEmpty(path)) return null;
        return File.Exists(path) ? Path.GetFullPath(path) : throw new CliUsageException(source, $"no such file: {path}");
    }
}
