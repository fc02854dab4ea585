using Microsoft.Extensions.Time.Testing;
using RLDistributed.Coordinator.Rendezvous;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Tests.Rendezvous;

/// <summary>Membership changes: a silent worker, a failed collective, a new worker, a coordinator restart.</summary>
public sealed class ElasticMembershipTests
{
    [Fact]
    public async Task SilentWorker_SurvivorsAreToldToRejoin_AndGetASmallerRingAtTheirStep()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 3, time: time);
        var seats = await fixture.JoinAllAsync(3);
        Assert.All(seats, s => Assert.Equal(1, s.Generation));

        // w0 and w2 beat; w1 is silent. After the window the beats are answered with "reform".
        HeartbeatReply? reply = null;
        for (var second = 0; second < 5 && reply?.Reform != true; second++)
        {
            foreach (var id in new[] { "w0", "w2" })
                reply = await fixture.Client.HeartbeatAsync(new HeartbeatRequest { RunId = "run-a", Generation = 1, WorkerId = id, Rank = Seat(seats, id).Rank, Step = 7 });
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
        Assert.True(reply!.Reform, "the survivors were not told to rejoin");
        Assert.Equal("reforming", (await fixture.Client.GetStatusAsync(new StatusRequest())).State);

        // w2 finished step 8 before its ring broke, w0 only step 7: w2 leads and w0 fetches from it.
        var w0 = fixture.Client.JoinAsync(CoordinatorFixture.Join("w0", 40000, heldStep: 7, generation: 1)).ResponseAsync;
        var w2 = fixture.Client.JoinAsync(CoordinatorFixture.Join("w2", 40020, heldStep: 8, generation: 1)).ResponseAsync;
        var next = await Task.WhenAll(w0, w2).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(next, a => Assert.Equal(2, a.Generation));
        Assert.All(next, a => Assert.Equal(2, a.WorldSize));
        Assert.All(next, a => Assert.Equal(8, a.StartStep));
        Assert.Equal(0, next[1].Rank);
        Assert.False(next[1].FetchState);
        Assert.Equal(1, next[0].Rank);
        Assert.True(next[0].FetchState);
        Assert.Equal(0, next[0].StateSourceRank);
        Assert.Equal(["w2", "w0"], next[0].Peers.Select(p => p.WorkerId));
        var status = await fixture.Client.GetStatusAsync(new StatusRequest());
        Assert.Equal("running", status.State);
        Assert.Equal(1, status.MembershipChanges);
        Assert.Equal(0, status.Restarts);
    }

    [Fact]
    public async Task RankWhoseCollectiveFailed_Rejoins_OthersAreToldToReform_ReportsOfTheOldGenerationAreDropped()
    {
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 2);
        var seats = await fixture.JoinAllAsync(2);
        var rejoin = fixture.Client.JoinAsync(CoordinatorFixture.Join("w0", 40000, heldStep: 3, generation: 1)).ResponseAsync;
        await fixture.WaitForStatusAsync(s => s.State == "reforming", "the rejoin");
        Assert.False(rejoin.IsCompleted, "the ring was re-formed before the other member rejoined");

        var ack = await fixture.Client.ReportStepAsync(new StepReport { RunId = "run-a", Generation = 1, Rank = Seat(seats, "w1").Rank, Step = 4, Loss = 1 });
        Assert.True(ack.Reform);
        Assert.Equal(0, (await fixture.Client.GetStatusAsync(new StatusRequest())).LastStep);

        var other = await fixture.Client.JoinAsync(CoordinatorFixture.Join("w1", 40010, heldStep: 3, generation: 1));
        var first = await rejoin.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, first.Generation);
        Assert.Equal(2, first.WorldSize);
        Assert.False(first.FetchState || other.FetchState, "members at the same step need no state");
        var stale = await fixture.Client.ReportStepAsync(new StepReport { RunId = "run-a", Generation = 1, Rank = 0, Step = 4 });
        Assert.True(stale.Reform);
    }

    [Fact]
    public async Task WorkerLeavesWithAnError_RingShrinks_ThenANewWorkerIsAdmittedAtTheNextGenerationAndFetchesTheState()
    {
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 3);
        var seats = await fixture.JoinAllAsync(3);
        await fixture.Client.LeaveAsync(new LeaveRequest { RunId = "run-a", Generation = 1, Rank = Seat(seats, "w1").Rank, WorkerId = "w1", Error = "SIGTERM" });
        var shrunk = await Task.WhenAll(
            fixture.Client.JoinAsync(CoordinatorFixture.Join("w0", 40000, heldStep: 15, generation: 1)).ResponseAsync,
            fixture.Client.JoinAsync(CoordinatorFixture.Join("w2", 40020, heldStep: 15, generation: 1)).ResponseAsync).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(shrunk, s => Assert.Equal(2, s.WorldSize));

        // A replacement arrives while generation 2 trains: it waits, the members are told to rejoin at a step boundary.
        var replacement = fixture.Client.JoinAsync(CoordinatorFixture.Join("w9", 40090)).ResponseAsync;
        await fixture.WaitForStatusAsync(s => s.State == "reforming", "the replacement's join");
        Assert.False(replacement.IsCompleted);
        var beat = await fixture.Client.HeartbeatAsync(new HeartbeatRequest { RunId = "run-a", Generation = 2, WorkerId = "w0", Rank = 0, Step = 17 });
        Assert.True(beat.Reform);
        var grown = await Task.WhenAll(
            replacement,
            fixture.Client.JoinAsync(CoordinatorFixture.Join("w0", 40000, heldStep: 17, generation: 2)).ResponseAsync,
            fixture.Client.JoinAsync(CoordinatorFixture.Join("w2", 40020, heldStep: 17, generation: 2)).ResponseAsync).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(grown, s => Assert.Equal(3, s.Generation));
        Assert.All(grown, s => Assert.Equal(3, s.WorldSize));
        Assert.All(grown, s => Assert.Equal(17, s.StartStep));
        Assert.True(grown[0].FetchState, "the new worker must fetch the state");
        Assert.False(grown[1].FetchState || grown[2].FetchState);
        Assert.Equal(2, (await fixture.Client.GetStatusAsync(new StatusRequest())).MembershipChanges);
    }

    [Fact]
    public async Task CoordinatorRestart_WithItsJournal_ContinuesTheRun_WorkersRejoinAtTheirStep()
    {
        var volume = Directory.CreateTempSubdirectory("rld-journal-").FullName;
        try
        {
            var port = FreePort();
            long generation;
            await using (var first = await CoordinatorFixture.StartAsync(workers: 2, checkpointDirectory: volume, port: port))
            {
                var seats = await first.JoinAllAsync(2);
                generation = seats[0].Generation;
                await first.Client.CommitCheckpointAsync(new CheckpointCommit { RunId = "run-a", Generation = generation, Rank = 0, Step = 10, Directory = Path.Combine(volume, "step-000000010") });
            }

            await using var second = await CoordinatorFixture.StartAsync(workers: 2, checkpointDirectory: volume, port: port);
            var status = await second.Client.GetStatusAsync(new StatusRequest());
            Assert.Equal("reforming", status.State);
            Assert.Equal(generation, status.Generation);
            Assert.Equal(10, status.LastCheckpointStep);
            Assert.Equal(10, status.LastStep);
            var beat = await second.Client.HeartbeatAsync(new HeartbeatRequest { RunId = "run-a", Generation = generation, WorkerId = "w0", Rank = 0, Step = 12 });
            Assert.True(beat.Reform);

            var joins = new[] { CoordinatorFixture.Join("w0", 40000, heldStep: 12, generation: generation), CoordinatorFixture.Join("w1", 40010, heldStep: 12, generation: generation) }
                .Select(j => second.Client.JoinAsync(j).ResponseAsync).ToArray();
            var seated = await Task.WhenAll(joins).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.All(seated, s => Assert.Equal(generation + 1, s.Generation));
            Assert.All(seated, s => Assert.Equal(12, s.StartStep));
            Assert.All(seated, s => Assert.Equal("", s.ResumeFrom));
        }
        finally
        {
            Directory.Delete(volume, recursive: true);
        }
    }

    [Fact]
    public async Task ResumedFromACheckpoint_StatusStartsAtItsStep_AndGoesOnFromThere()
    {
        await using var fixture = await CoordinatorFixture.StartAsync(workers: 1, resumeFrom: "/ckpt/step-000000500", resumeStep: 500);

        var waiting = await fixture.Client.GetStatusAsync(new StatusRequest());
        Assert.Equal("waiting", waiting.State);
        Assert.Equal(500, waiting.LastStep);
        var seat = (await fixture.JoinAllAsync(1))[0];
        Assert.Equal(500, seat.StartStep);
        await fixture.Client.ReportStepsAsync(new StepReports { Reports = { new StepReport { RunId = "run-a", Generation = seat.Generation, Rank = 0, Step = 501, Loss = 0.25 } } });

        var running = await fixture.Client.GetStatusAsync(new StatusRequest());
        Assert.Equal(501, running.LastStep);
        Assert.Equal(0.25, running.LastLoss, 6);
    }

    [Fact]
    public async Task AllWorkersLost_NewWorkersResumeFromTheLastCommit()
    {
        var volume = Directory.CreateTempSubdirectory("rld-journal-").FullName;
        try
        {
            var port = FreePort();
            await using (var first = await CoordinatorFixture.StartAsync(workers: 1, checkpointDirectory: volume, port: port))
            {
                var seat = (await first.JoinAllAsync(1))[0];
                await first.Client.CommitCheckpointAsync(new CheckpointCommit { RunId = "run-a", Generation = seat.Generation, Rank = 0, Step = 20, Directory = "/ckpt/step-000000020" });
            }
            await using var second = await CoordinatorFixture.StartAsync(workers: 1, checkpointDirectory: volume, port: port);
            var fresh = await second.Client.JoinAsync(CoordinatorFixture.Join("replacement", 42000)).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(20, fresh.StartStep);
            Assert.Equal("/ckpt/step-000000020", fresh.ResumeFrom);
            Assert.False(fresh.FetchState);
        }
        finally
        {
            Directory.Delete(volume, recursive: true);
        }
    }

    private static Assignment Seat(Assignment[] seats, string workerId) =>
        seats.First(s => s.Peers.Single(p => p.Rank == s.Rank).WorkerId == workerId);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
