using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Bench;

/// <summary>
/// bench/gpu-check.sh, run with a stand-in for rld that records its arguments: the GPU steps ask for CUDA with the
/// right data, every step is time-boxed and reported, and the steps that no longer fit the budget are skipped.
/// </summary>
public sealed class GpuCheckScriptTests : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("rld-gpu-check-");

    private string Calls => Path.Combine(_scratch.FullName, "calls.txt");

    private string Sizes => Path.Combine(_scratch.FullName, "cifar-sizes.txt");

    [Fact]
    public async Task Check_AmpleBudget_RunsEveryStepWithTheDeviceAndDataItNeeds()
    {
        var run = (await RunAsync(budget: 900)).EnsureSuccess();

        var calls = await File.ReadAllLinesAsync(Calls);
        Assert.Contains(calls, c => c.StartsWith("bench step --device cuda --preset cifar10 --data /", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("train --preset fashion-mnist --data /data/fm --workers 2 --device cuda ", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("bench overlap --device cuda --presets cifar10 ", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("bench distributed ", StringComparison.Ordinal));
        Assert.Equal(10, run.Split('\n').Count(l => l.StartsWith("--- ", StringComparison.Ordinal) && l.Contains(": rc=", StringComparison.Ordinal)));
        Assert.DoesNotContain("SKIPPED", run, StringComparison.Ordinal);
        Assert.EndsWith("every step that ran passed\n", run, StringComparison.Ordinal);
        Assert.Equal(run, await File.ReadAllTextAsync(Path.Combine(_scratch.FullName, "out", "log.txt")));
        // The CIFAR-10 stand-in the cifar10 step read (the script removes it at exit): five training batches and a
        // test batch of 600 records each.
        Assert.Equal(Enumerable.Repeat($"{600 * 3073}", 6), await File.ReadAllLinesAsync(Sizes));
    }

    [Fact]
    public async Task Check_BudgetSpent_SkipsWhatNoLongerFits()
    {
        var run = (await RunAsync(budget: 45)).EnsureSuccess();

        var calls = await File.ReadAllLinesAsync(Calls);
        Assert.Contains(calls, c => c.StartsWith("bench step --device cuda --preset toy2d", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.StartsWith("train --preset fashion-mnist --data /data/fm --workers 2", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.StartsWith("bench distributed", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.StartsWith("bench overlap", StringComparison.Ordinal) || c.StartsWith("bench allreduce", StringComparison.Ordinal));
        // The steps in between run or not as the machine's speed leaves time; these four never fit.
        Assert.InRange(run.Split('\n').Count(l => l == "SKIPPED: too little time left"), 4, 9);
        Assert.Contains("\nskipped: ", run, StringComparison.Ordinal);
        Assert.Contains("distributed overhead, toy2d, a core per rank\n", run, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AStepFails_TheOthersStillRunAndTheCheckFailsNamingIt()
    {
        var run = await RunAsync(budget: 900, failing: "train");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("failed: fashion-mnist training, cuda, one process;fashion-mnist training, cuda, two workers", run.Output.TrimEnd().Split('\n')[^1]);
        Assert.Contains(await File.ReadAllLinesAsync(Calls), c => c.StartsWith("bench distributed ", StringComparison.Ordinal));
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    /// <summary>
    /// Runs the script with a stand-in rld that appends its arguments to calls.txt, the sizes of the files in the
    /// folder a cifar10 iteration step is given to cifar-sizes.txt, prints an empty schedule, and fails the commands
    /// whose first word is <paramref name="failing"/>; the PyTorch peer is /bin/true.
    /// </summary>
    private async Task<ToolRun> RunAsync(int budget, string failing = "none")
    {
        var fake = Path.Combine(_scratch.FullName, "rld");
        await File.WriteAllTextAsync(fake, $"""
            #!/bin/bash
            echo "$*" >> '{Calls}'
            if [[ "$1 $2 $6 $7" == "bench step cifar10 --data" ]]; then stat -c %s "$8"/* >> '{Sizes}'; fi
            if [[ $1 == schedule ]]; then echo '[]'; fi
            if [[ $1 == {failing} ]]; then exit 3; fi
            exit 0

            """);
        (await ToolRun.RunAsync("chmod", ["u+x", fake])).EnsureSuccess();
        var run = await ToolRun.RunAsync("env",
            [$"RLD={fake}", $"OUT={Path.Combine(_scratch.FullName, "out")}", $"BUDGET={budget}", "FASHION_MNIST=/data/fm", "PYTHON=/bin/true",
             "bash", Path.Combine(RepositoryPaths.Root, "bench", "gpu-check.sh")]);
        return run;
    }
}
