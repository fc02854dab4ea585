using Grpc.Core;
using RLDistributed.Coordinator.Rendezvous;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Tests.Rendezvous;

public sealed class RendezvousTests
{
    [Fact]
    public async Task Join_ThreeWorkers_AllWaitForTheLastThenGetDistinctRanksAndOneRing()
    {
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 3);
        var first = fixture.Client.JoinAsync(CoordinatorFixture.Join("w0", 40000)).ResponseAsync;
        var second = fixture.Client.JoinAsync(CoordinatorFixture.Join("w1", 40010)).ResponseAsync;
        await fixture.WaitForStatusAsync(s => s.Workers.Count == 2, "both joins");
        Assert.False(first.IsCompleted || second.IsCompleted, "a join returned before the rendezvous was complete");

        var third = await fixture.Client.JoinAsync(CoordinatorFixture.Join("w2", 40020));
        var all = new[] { await first, await second, third };

        Assert.Equal([0, 1, 2], all.Select(a => a.Rank).Order());
        Assert.All(all, a => Assert.Equal(3, a.WorldSize));
        Assert.All(all, a => Assert.Equal(all[0].Peers, a.Peers));
        Assert.All(all, a => Assert.Equal(fixture.Options.OptionsJson, a.OptionsJson));
        Assert.Equal("running", (await fixture.Client.GetStatusAsync(new StatusRequest())).State);
    }

    [Fact]
    public async Task Requests_WrongRunStaleGenerationOrBadRank_RefusedWithClearStatus_RunUnaffected()
    {
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 2);
        var seats = await fixture.JoinAllAsync(2);

        var wrongRun = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.JoinAsync(CoordinatorFixture.Join("w9", 40100).Also(j => j.RunId = "run-b")).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, wrongRun.StatusCode);
        Assert.Contains("run-b", wrongRun.Status.Detail);

        var stale = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.HeartbeatAsync(new HeartbeatRequest { RunId = "run-a", Generation = 7, Rank = 0 }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, stale.StatusCode);
        Assert.Contains("stale generation 7", stale.Status.Detail);

        var badRank = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ReportStepAsync(new StepReport { RunId = "run-a", Generation = 1, Rank = 5, Step = 1 }).ResponseAsync);
        Assert.Equal(StatusCode.OutOfRange, badRank.StatusCode);
        Assert.Contains("rank 5", badRank.Status.Detail);

        var full = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.JoinAsync(CoordinatorFixture.Join("w-late", 40200)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, full.StatusCode);

        var badEndpoint = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.JoinAsync(CoordinatorFixture.Join("w0", 40000).Also(j => j.DataEndpoint = "nowhere")).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badEndpoint.StatusCode);

        var status = await fixture.Client.GetStatusAsync(new StatusRequest());
        Assert.Equal("running", status.State);
        Assert.Equal(2, status.Workers.Count);
        Assert.Equal(2, seats.Length);
    }

    [Fact]
    public async Task ReportStep_DifferentParameterHashes_FailsTheRunAndTellsRanksToStop()
    {
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 2);
        await fixture.JoinAllAsync(2);
        var report = new StepReport { RunId = "run-a", Generation = 1, Step = 200, ParameterHash = Google.Protobuf.ByteString.CopyFrom(Enumerable.Repeat((byte)1, 32).ToArray()) };
        Assert.False((await fixture.Client.ReportStepAsync(report.Also(r => r.Rank = 0))).Stop);

        var ack = await fixture.Client.ReportStepAsync(report.Clone().Also(r => { r.Rank = 1; r.ParameterHash = Google.Protobuf.ByteString.CopyFrom(Enumerable.Repeat((byte)9, 32).ToArray()); }));

        Assert.True(ack.Stop);
        var status = await fixture.Client.GetStatusAsync(new StatusRequest());
        Assert.Equal("failed", status.State);
        Assert.Contains("parameter hash mismatch at step 200", status.Error);
        Assert.Equal(RunPhase.Failed, await fixture.Coordinator.Finished);
    }

    [Fact]
    public async Task Leave_EveryRankCompleted_RunCompletes()
    {
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 2);
        await fixture.JoinAllAsync(2);
        foreach (var rank in new[] { 0, 1 })
        {
            await fixture.Client.ReportStepAsync(new StepReport { RunId = "run-a", Generation = 1, Rank = rank, Step = 1, Loss = 0.25 });
            await fixture.Client.LeaveAsync(new LeaveRequest { RunId = "run-a", Generation = 1, Rank = rank, Completed = true });
        }
        Assert.Equal(RunPhase.Completed, await fixture.Coordinator.Finished);
        var status = await fixture.Client.GetStatusAsync(new StatusRequest());
        Assert.Equal(1, status.LastStep);
        Assert.Equal(0.5, status.LastLoss, 12);
    }

    [Fact]
    public async Task ReportSteps_SeveralStepsInOneCall_CombineAsIfReportedOneByOne()
    {
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 2);
        await fixture.JoinAllAsync(2);
        foreach (var rank in new[] { 0, 1 })
        {
            var batch = new StepReports();
            batch.Reports.AddRange(Enumerable.Range(1, 5).Select(step => new StepReport
            {
                RunId = "run-a", Generation = 1, Rank = rank, Step = step, Loss = 0.1 * step, StepSeconds = 0.01 * (step + rank),
            }));
            Assert.False((await fixture.Client.ReportStepsAsync(batch)).Stop);
        }

        var status = await fixture.Client.GetStatusAsync(new StatusRequest());
        Assert.Equal(5, status.LastStep);
        Assert.Equal(1.0, status.LastLoss, 12);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], status.RecentSteps.Select(s => s.Step));
        Assert.Equal([0.02, 0.03, 0.04, 0.05, 0.06], status.RecentSteps.Select(s => Math.Round(s.Seconds, 12)));
        // Every combined step is a line of the run's metrics.jsonl, its loss the ranks' shares added.
        var lines = File.ReadAllLines(Path.Combine(fixture.Options.OutputDirectory, "metrics.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1L, 2L, 3L, 4L, 5L], lines.Select(l => l.GetProperty("step").GetInt64()));
        Assert.Equal([0.2, 0.4, 0.6, 0.8, 1.0], lines.Select(l => Math.Round(l.GetProperty("loss").GetDouble(), 12)));
    }

    [Fact]
    public async Task ReportSteps_OneMalformedReport_RefusesTheWholeCallAndAddsNothing()
    {
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 2);
        await fixture.JoinAllAsync(2);
        var batch = new StepReports();
        batch.Reports.Add(new StepReport { RunId = "run-a", Generation = 1, Rank = 0, Step = 1, Loss = 0.25 });
        batch.Reports.Add(new StepReport { RunId = "run-a", Generation = 1, Rank = 0, Step = 2, Loss = double.NaN });

        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ReportStepsAsync(batch).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var empty = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.ReportStepsAsync(new StepReports()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);

        // Step 1 was not added: rank 1's report of it alone does not combine it.
        await fixture.Client.ReportStepAsync(new StepReport { RunId = "run-a", Generation = 1, Rank = 1, Step = 1, Loss = 0.25 });
        Assert.Equal(0, (await fixture.Client.GetStatusAsync(new StatusRequest())).LastStep);
    }

    [Fact]
    public async Task Leave_TheLastStepsReportsWereSkipped_TheRunCompletesAtTheStepTheRanksDid()
    {
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 2);
        await fixture.JoinAllAsync(2);
        // Both ranks report step 1; then each skips a different step (its previous report was still in flight),
        // so neither step 2 nor step 3 combines, and the ranks leave having done 3 steps.
        foreach (var (rank, step) in new[] { (0, 1), (1, 1), (0, 2), (1, 3) })
            await fixture.Client.ReportStepAsync(new StepReport { RunId = "run-a", Generation = 1, Rank = rank, Step = step, Loss = 0.25 });
        Assert.Equal(1, (await fixture.Client.GetStatusAsync(new StatusRequest())).LastStep);
        foreach (var rank in new[] { 0, 1 })
            await fixture.Client.LeaveAsync(new LeaveRequest { RunId = "run-a", Generation = 1, Rank = rank, Completed = true, Step = 3 });

        Assert.Equal(RunPhase.Completed, await fixture.Coordinator.Finished);
        Assert.Equal(3, (await fixture.Client.GetStatusAsync(new StatusRequest())).LastStep);
    }

    [Fact]
    public async Task Liveness_SilentWorkerBelowTheMinimum_IsDeclaredDeadAndTheRunFails()
    {
        // Fake time: the verdict depends on the beats and the clock alone, not on how loaded the machine is.
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 2, time: time, minWorkers: 2);
        var seats = await fixture.JoinAllAsync(2);
        var beating = seats.Single(s => s.Rank == 0);

        for (var second = 0; second < 6 && !fixture.Coordinator.Finished.IsCompleted; second++)
        {
            await fixture.Client.HeartbeatAsync(new HeartbeatRequest { RunId = "run-a", Generation = 1, Rank = beating.Rank });
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20); // let the monitor's timer callback run
        }

        var phase = await fixture.Coordinator.Finished.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RunPhase.Failed, phase);
        var status = await fixture.Client.GetStatusAsync(new StatusRequest());
        Assert.Contains("rank 1", status.Error);
        Assert.Contains("missed 3 heartbeats", status.Error);
        Assert.Contains("fewer than the minimum of 2", status.Error);
        Assert.True(status.Workers.Single(w => w.Rank == 0).Alive);
    }

    [Fact]
    public async Task Join_RendezvousNeverFills_TimesOutAndFailsTheRun()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 2, time: time);
        var waiting = fixture.Client.JoinAsync(CoordinatorFixture.Join("w0", 40000)).ResponseAsync;
        await fixture.WaitForStatusAsync(s => s.Workers.Count == 1, "the join");

        for (var i = 0; i < 7 && !fixture.Coordinator.Finished.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(20);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => waiting);
        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Contains("1 of 2 workers", error.Status.Detail);
        Assert.Equal(RunPhase.Failed, await fixture.Coordinator.Finished.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Start_BadOptions_NameTheOption()
    {
        var options = new CoordinatorOptions { RunId = "bad id!", Workers = 0, OptionsJson = "{}", OutputDirectory = "/tmp" };
        var error = await Assert.ThrowsAsync<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            Hosting.CoordinatorHost.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None));
        Assert.Matches("RunId|Workers", error.Message);
    }

    [Fact]
    public async Task Start_PortInUse_EndpointBindExceptionNamesTheAddress()
    {
        await using var first = await CoordinatorFixture.StartAsync(workers: 1);
        var port = first.Coordinator.Address.Port;
        var options = new CoordinatorOptions { RunId = "run-b", Workers = 1, OptionsJson = "{}", OutputDirectory = "/tmp", Port = port };
        var error = await Assert.ThrowsAsync<Hosting.EndpointBindException>(() =>
            Hosting.CoordinatorHost.StartAsync(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None));
        Assert.Contains($"127.0.0.1:{port}", error.Message);
    }
}
