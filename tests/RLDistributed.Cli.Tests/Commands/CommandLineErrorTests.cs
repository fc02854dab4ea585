using RLDistributed.Core.Presets;

namespace RLDistributed.Cli.Tests.Commands;

/// <summary>Bad options get one clear line that names the option, and exit code 2 (real processes).</summary>
public sealed class CommandLineErrorTests
{
    [Theory]
    [InlineData("--steps", "train", "--steps", "-3")]
    [InlineData("--steps", "train", "--steps", "many")]
    [InlineData("--preset", "train", "--preset", "imagenet")]
    [InlineData("--levels", "schedule", "--levels", "1")]
    [InlineData("--levels", "schedule", "--levels", "101")]
    [InlineData("--threads", "train", "--threads", "0")]
    [InlineData("--checkpoint", "sample", "--out", "x.png")]
    [InlineData("--bogus", "train", "--bogus")]
    [InlineData("--device", "train", "--steps", "1", "--device", "tpu")]
    [InlineData("--device", "train", "--workers", "2", "--steps", "1", "--device", "tpu")]
    [InlineData("--device", "train", "--workers", "2", "--steps", "1", "--device", "cuda")]
    [InlineData("--device", "bench", "overlap", "--device", "cuda:1")]
    [InlineData("--warmup", "bench", "distributed", "--warmup", "-1")]
    [InlineData("--data", "train", "--preset", "mnist")]
    [InlineData("--data", "train", "--workers", "2", "--preset", "cifar10")]
    [InlineData("AdvertiseHost", "worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r", "--advertise-host", "")]
    [InlineData("--checkpoint", "eval")]
    [InlineData("--ais-chains", "eval", "--checkpoint", "m", "--ais-chains", "1")]
    [InlineData("--ais-distributions", "eval", "--checkpoint", "m", "--ais-distributions", "-1")]
    [InlineData("--test-count", "eval", "--checkpoint", "m", "--test-count", "0")]
    [InlineData("--checkpoint", "eval", "--checkpoint", "/nonexistent/model")]
    [InlineData("--inception-weights", "eval", "--checkpoint", "m", "--inception-weights", "/nonexistent/pt_inception.pth")]
    [InlineData("--steps", "eval", "longrun", "--checkpoint", "m", "--steps", "0")]
    [InlineData("--chains", "eval", "longrun", "--checkpoint", "m", "--chains", "0")]
    [InlineData("--steps", "sample", "--checkpoint", "m", "--out", "x.png", "--steps", "0")]
    [InlineData("--raw", "sample", "--checkpoint", "m", "--out", "x.png", "--ema", "--raw")]
    [InlineData("--noise-scale", "sample", "--checkpoint", "m", "--out", "x.png", "--noise-scale", "-1")]
    [InlineData("RUN_DIR", "plot", "/nonexistent/run")]
    [InlineData("MetricsPort", "worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r", "--metrics-port", "70000")]
    [InlineData("--collective-deadline", "worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r", "--collective-deadline", "0")]
    [InlineData("--allreduce-overlap", "worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r", "--allreduce-overlap", "sometimes")]
    [InlineData("--allreduce-overlap", "train", "--workers", "2", "--allreduce-overlap", "sometimes")]
    [InlineData("--allreduce-overlap", "train", "--steps", "1", "--allreduce-overlap", "true")]
    [InlineData("--bucket-kib", "train", "--steps", "1", "--bucket-kib", "64")]
    [InlineData("--bucket-kib", "train", "--workers", "2", "--bucket-kib", "2")]
    [InlineData("--metrics-port", "coordinator", "--run-id", "r", "--workers", "1", "--spec", "/nonexistent.json", "--out", "/tmp/x", "--metrics-port", "-1")]
    [InlineData("Rld:Worker:TokenFile", "worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r", "--token-file", "/nonexistent/token")]
    [InlineData("Rld:Worker:TlsKey", "worker", "--coordinator", "https://127.0.0.1:1", "--run-id", "r", "--tls-cert", "/nonexistent/tls.crt")]
    [InlineData("Rld:Worker:TlsCa", "ring-check", "--coordinator", "https://127.0.0.1:1", "--workers", "2", "--tls-ca", "/nonexistent/ca.crt")]
    public async Task Run_BadOption_OneLineNamingItAndExitCode2(string named, params string[] args)
    {
        var result = await RldProcess.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(named, lines[0]);
        // Written for people: no exception text meant for programmers, such as an ArgumentException's parameter name.
        Assert.DoesNotContain("(Parameter '", lines[0]);
    }

    [Fact]
    public async Task Worker_OverlapSettingNotABoolean_OneLineNamingItAndExitCode2()
    {
        var result = await RldProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["Rld__Worker__AllReduceOverlap"] = "sometimes" },
            "worker", "--coordinator", "http://127.0.0.1:1", "--run-id", "r");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Rld:Worker:AllReduceOverlap", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Coordinator_SpecWithABucketBelow4KiB_OneLineNamingItAndExitCode2()
    {
        using var scratch = new ScratchDirectory("rld-spec-");
        var spec = Path.Combine(scratch.Path, "run.json");
        await File.WriteAllTextAsync(spec, new RunSpec { Preset = TrainingPresets.Get("toy2d"), GradientBucketBytes = 100 }.ToJson());

        var result = await RldProcess.RunAsync("coordinator", "--run-id", "r", "--workers", "1", "--spec", spec, "--out", scratch.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("GradientBucketBytes", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Sample_CheckpointNotAModel_NamesTheMissingManifest()
    {
        var directory = Directory.CreateTempSubdirectory("rld-empty-").FullName;
        try
        {
            var result = await RldProcess.RunAsync("sample", "--checkpoint", directory, "--out", Path.Combine(directory, "x.png"));
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("model.json", result.Error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Plot_DirectoryWithNothingToDraw_SaysSo()
    {
        using var empty = new ScratchDirectory("rld-plot-empty-");

        var result = await RldProcess.RunAsync("plot", empty.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nothing to draw", result.Error);
    }
}
