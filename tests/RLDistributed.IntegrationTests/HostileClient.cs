using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using RLDistributed.Hosting.Security;
using RLDistributed.Protos.V1;
using CollectiveClient = RLDistributed.Protos.V1.Collective.CollectiveClient;
using CoordinatorClient = RLDistributed.Protos.V1.Coordinator.CoordinatorClient;

namespace RLDistributed.IntegrationTests;

/// <summary>
/// Sends malformed and hostile messages to a live run: random bytes, wrong lengths, out-of-range ranks, stale
/// and future generations, oversized messages and chunks, and missing or wrong tokens, to the coordinator's and
/// the workers' gRPC services and to the workers' tcp data planes. Every message with the right token is still
/// invalid in at least one field, so a correct server refuses each one; the tally records what came back.
/// </summary>
internal sealed class HostileClient : IDisposable
{
    private const string CoordinatorService = "rld.v1.Coordinator";
    private const string CollectiveService = "rld.v1.Collective";
    private static readonly string[] CoordinatorMethods = ["Join", "Heartbeat", "ReportStep", "ReportSteps", "Leave", "CommitCheckpoint"];
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(20);

    private readonly string _runId;
    private readonly string _token;
    private readonly IPEndPoint[] _dataPlanes;
    private readonly GrpcChannel[] _channels = [];
    private readonly CallInvoker _coordinator, _coordinatorNoToken, _coordinatorWrongToken;
    private readonly CallInvoker[] _workers, _workersWrongToken;
    private readonly HostileTally _tally = new();
    private int _budget;

    public HostileClient(Uri coordinator, string[] collectiveEndpoints, IPEndPoint[] dataPlanes, string runId, string token)
    {
        _runId = runId;
        _token = token;
        _dataPlanes = dataPlanes;
        var good = new RunSecurity(RunToken.From(token, "test"), null);
        var wrong = new RunSecurity(RunToken.Generate(), null);
        var channels = new List<GrpcChannel>();
        CallInvoker Open(Uri address, RunSecurity security)
        {
            var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = security.CreateHandler(), MaxSendMessageSize = null });
            channels.Add(channel);
            return channel.CreateCallInvoker();
        }
        _coordinator = Open(coordinator, good);
        _coordinatorNoToken = Open(coordinator, RunSecurity.None);
        _coordinatorWrongToken = Open(coordinator, wrong);
        _workers = [.. collectiveEndpoints.Select(e => Open(new Uri($"http://{e}"), good))];
        _workersWrongToken = [.. collectiveEndpoints.Select(e => Open(new Uri($"http://{e}"), wrong))];
        _channels = [.. channels];
    }

    /// <summary>Sends <paramref name="count"/> messages from <paramref name="lanes"/> concurrent lanes.</summary>
    public async Task<HostileTally> SendAsync(int count, int lanes, int seed)
    {
        _budget = count;
        await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => Task.Run(() => LaneAsync(new Random(seed + lane)))));
        return _tally;
    }

    private async Task LaneAsync(Random random)
    {
        while (Interlocked.Decrement(ref _budget) >= 0)
        {
            var roll = random.Next(100);
            if (roll < 30) await CoordinatorMessageAsync(random);
            else if (roll < 60) await CollectiveMessageAsync(random);
            else if (roll < 75) await UnauthenticatedAsync(random);
            else await DataPlaneAsync(random);
        }
    }

    private Task CoordinatorMessageAsync(Random random)
    {
        var client = new CoordinatorClient(_coordinator);
        var badRank = random.Next(2) == 0 ? -1 - random.Next(1000) : 2 + random.Next(1_000_000);
        return (random.Next(9)) switch
        {
            0 => RawAsync("coordinator random bytes", _coordinator, CoordinatorService, CoordinatorMethods[random.Next(CoordinatorMethods.Length)], RandomBytes(random, random.Next(1, 2048))),
            1 => ExpectErrorAsync("heartbeat out-of-range rank", () => client.HeartbeatAsync(new HeartbeatRequest { RunId = _runId, Generation = random.Next(2), Rank = badRank, Step = random.Next(100) }, Deadline()).ResponseAsync),
            2 => ExpectErrorAsync("heartbeat future generation", () => client.HeartbeatAsync(new HeartbeatRequest { RunId = _runId, Generation = 1000 + random.Next(1000), Rank = 0, Step = 1 }, Deadline()).ResponseAsync),
            3 => ExpectErrorAsync("report malformed fields", () => client.ReportStepAsync(MalformedReport(random), Deadline()).ResponseAsync),
            4 => ExpectErrorAsync("join invalid", () => client.JoinAsync(InvalidJoin(random), Deadline()).ResponseAsync),
            5 => ExpectErrorAsync("leave stale generation, unknown worker", () => client.LeaveAsync(new LeaveRequest { RunId = _runId, Generation = 0, Rank = 0, WorkerId = $"intruder-{random.Next()}", Completed = true }, Deadline()).ResponseAsync),
            6 => ExpectErrorAsync("commit negative step", () => client.CommitCheckpointAsync(new CheckpointCommit { RunId = _runId, Generation = 1, Rank = 0, Step = -1 - random.Next(100), Directory = "/tmp/x" }, Deadline()).ResponseAsync),
            7 => ExpectErrorAsync("heartbeat other run", () => client.HeartbeatAsync(new HeartbeatRequest { RunId = "other-" + random.Next(), Generation = 1, Rank = 0 }, Deadline()).ResponseAsync),
            _ => ExpectErrorAsync("report oversized message", () => client.ReportStepAsync(new StepReport { RunId = _runId, Generation = 1, Rank = 0, Step = 1, ParameterHash = ByteString.CopyFrom(new byte[(1 << 20) + 1]) }, Deadline()).ResponseAsync),
        };
    }

    private Task CollectiveMessageAsync(Random random)
    {
        var invoker = _workers[random.Next(_workers.Length)];
        var client = new CollectiveClient(invoker);
        return random.Next(6) switch
        {
            0 => RawAsync("collective random bytes", invoker, CollectiveService, random.Next(2) == 0 ? "PushChunks" : "FetchState", RandomBytes(random, random.Next(1, 4096))),
            1 => PushAsync("push stale or future generation", client, new Chunk { RunId = _runId, Generation = random.Next(2) == 0 ? random.Next(2) : 100 + random.Next(100), SourceRank = random.Next(2), Data = ByteString.CopyFrom(RandomBytes(random, 64)) }),
            2 => PushAsync("push out-of-range rank", client, new Chunk { RunId = _runId, Generation = 1, SourceRank = -5 + random.Next(3), RingStep = random.Next(-3, 9), Offset = -random.Next(1, 100), Data = ByteString.CopyFrom(RandomBytes(random, 7)) }),
            3 => PushAsync("push oversized chunk", client, new Chunk { RunId = _runId, Generation = 1, SourceRank = 0, Data = ByteString.CopyFrom(new byte[(1 << 20) + (128 << 10) + random.Next(1024)]) }),
            4 => FetchAsync("fetch invalid request", client, new StateRequest { RunId = random.Next(2) == 0 ? _runId : "other", Generation = random.Next(2) == 0 ? -1 : random.Next(3), Rank = random.Next(-3, 3), Step = random.Next(2) == 0 ? -7 : 1_000_000 + random.Next(100) }),
            _ => FetchAsync("fetch future generation", client, new StateRequest { RunId = _runId, Generation = 50 + random.Next(50), Rank = 1, Step = 0 }),
        };
    }

    private Task UnauthenticatedAsync(Random random)
    {
        var noToken = random.Next(2) == 0;
        var coordinator = noToken ? _coordinatorNoToken : _coordinatorWrongToken;
        var kind = noToken ? "no token" : "wrong token";
        return random.Next(4) switch
        {
            0 => ExpectErrorAsync($"coordinator status, {kind}", () => new CoordinatorClient(coordinator).GetStatusAsync(new StatusRequest(), Deadline()).ResponseAsync),
            1 => ExpectErrorAsync($"coordinator join, {kind}", () => new CoordinatorClient(coordinator).JoinAsync(new JoinRequest { RunId = _runId, WorkerId = "intruder", CollectiveEndpoint = "127.0.0.1:1", DataEndpoint = "127.0.0.1:2" }, Deadline()).ResponseAsync),
            2 => FetchAsync($"collective fetch, wrong token", new CollectiveClient(_workersWrongToken[random.Next(_workersWrongToken.Length)]), new StateRequest { RunId = _runId, Generation = 1, Rank = 1, Step = 0 }),
            _ => PushAsync($"collective push, wrong token", new CollectiveClient(_workersWrongToken[random.Next(_workersWrongToken.Length)]), new Chunk { RunId = _runId, Generation = 1, SourceRank = 1, Data = ByteString.CopyFrom(new byte[64]) }),
        };
    }

    private async Task DataPlaneAsync(Random random)
    {
        var target = _dataPlanes[random.Next(_dataPlanes.Length)];
        var (kind, bytes) = random.Next(6) switch
        {
            0 => ("tcp random bytes", RandomBytes(random, random.Next(1, 512))),
            1 => ("tcp handshake without token", Handshake(_runId, 1, 0, 2, "", 2)),
            2 => ("tcp handshake wrong token", Handshake(_runId, 1, 0, 2, RunToken.Generate().Value, 2)),
            3 => ("tcp stale generation or other run", Handshake(random.Next(2) == 0 ? _runId : "other", random.Next(2), random.Next(-2, 4), 2, _token, 2)),
            4 => ("tcp declared lengths too large", DeclaredTooLong(random)),
            _ => ("tcp truncated or old version", Handshake(_runId, 1, 0, 2, _token, (ushort)random.Next(0, 2))[..random.Next(1, 30)]),
        };
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(target);
            await socket.SendAsync(bytes);
            socket.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(CallDeadline);
            var status = new byte[1];
            var read = await socket.ReceiveAsync(status, timeout.Token);
            if (read == 1 && status[0] == 0) _tally.NotRefused(kind, $"accepted by {target}");
            else _tally.Refusal(kind, read == 0 ? "disconnected" : "refused");
        }
        catch (SocketException e)
        {
            _tally.Refusal(kind, $"disconnected ({e.SocketErrorCode})");
        }
        catch (OperationCanceledException)
        {
            _tally.NotRefused(kind, $"no answer from {target} within {CallDeadline}");
        }
    }

    private async Task RawAsync(string kind, CallInvoker invoker, string service, string method, byte[] bytes)
    {
        var descriptor = new Method<byte[], byte[]>(MethodType.Unary, service, method, Raw, Raw);
        await ExpectErrorAsync(kind, () => invoker.AsyncUnaryCall(descriptor, null, Deadline(), bytes).ResponseAsync);
    }

    private Task PushAsync(string kind, CollectiveClient client, Chunk chunk) => ExpectErrorAsync(kind, async () =>
    {
        using var call = client.PushChunks(Deadline());
        try
        {
            await call.RequestStream.WriteAsync(chunk);
            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is not RpcException && call.ResponseAsync.IsCompleted)
        {
            // The server ended the call first; its status is the answer.
        }
        catch (RpcException)
        {
            // Same: the status of the response says why.
        }
        return await call.ResponseAsync;
    });

    private Task FetchAsync(string kind, CollectiveClient client, StateRequest request) => ExpectErrorAsync(kind, async () =>
    {
        using var call = client.FetchState(request, Deadline());
        var chunks = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None)) chunks++;
        return chunks;
    });

    private async Task ExpectErrorAsync<T>(string kind, Func<Task<T>> call)
    {
        try
        {
            await call();
            _tally.NotRefused(kind, "the call succeeded");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            _tally.NotRefused(kind, "no answer before the deadline");
        }
        catch (RpcException e)
        {
            _tally.Refusal(kind, e.StatusCode.ToString());
        }
    }

    private StepReport MalformedReport(Random random)
    {
        var report = new StepReport { RunId = _runId, Generation = 1, Rank = random.Next(2), Step = 1 };
        switch (random.Next(4))
        {
            case 0: report.Loss = double.NaN; break;
            case 1: report.LevelCount.Add(3); break; // energy sums of another length
            case 2: report.ParameterHash = ByteString.CopyFrom(RandomBytes(random, 5)); break;
            default: report.Step = -1 - random.Next(1000); break;
        }
        return report;
    }

    private JoinRequest InvalidJoin(Random random) => random.Next(3) switch
    {
        0 => new JoinRequest { RunId = "other-run", WorkerId = "intruder", CollectiveEndpoint = "127.0.0.1:1", DataEndpoint = "127.0.0.1:2" },
        1 => new JoinRequest { RunId = _runId, WorkerId = "intruder", CollectiveEndpoint = "no-port", DataEndpoint = "127.0.0.1:2" },
        _ => new JoinRequest { RunId = _runId, WorkerId = new string('w', 300), CollectiveEndpoint = "127.0.0.1:1", DataEndpoint = "127.0.0.1:2", HeldStep = -5 },
    };

    private CallOptions Deadline() => new(deadline: DateTime.UtcNow + CallDeadline);

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The tcp handshake as the data plane's protocol 2 lays it out (TcpWire in the worker).</summary>
    private static byte[] Handshake(string runId, long generation, int sender, int worldSize, string token, ushort version)
    {
        var id = Encoding.UTF8.GetBytes(runId);
        var secret = Encoding.UTF8.GetBytes(token);
        var bytes = new byte[24 + id.Length + 2 + secret.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, 0x48444C52);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(6), generation);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), sender);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), worldSize);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(22), (ushort)id.Length);
        id.CopyTo(bytes, 24);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(24 + id.Length), (ushort)secret.Length);
        secret.CopyTo(bytes, 26 + id.Length);
        return bytes;
    }

    private static byte[] DeclaredTooLong(Random random)
    {
        var bytes = Handshake("r", 1, 0, 2, "", 2);
        if (random.Next(2) == 0) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(22), 60_000); // run id length
        else BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(25), 60_000); // token length
        return bytes;
    }

    public void Dispose()
    {
        foreach (var channel in _channels) channel.Dispose();
    }
}
