using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RLDistributed.Core.Energy;
using RLDistributed.Hosting;
using RLDistributed.Hosting.Security;
using RLDistributed.Protos.V1;
using RLDistributed.Worker.Collective;
using RLDistributed.Worker.Training;

namespace RLDistributed.Worker.Hosting;

/// <summary>
/// What a worker serves to its ring neighbours: the Collective gRPC service (the grpc transport, and later the
/// state broadcast) on an HTTP/2 port, and the tcp data-plane listener. Both are bound before the worker joins,
/// so the addresses it advertises are real.
/// </summary>
public sealed class CollectiveEndpoints : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TcpRingListener _listener;
    private readonly CollectiveMailbox _mailbox;
    private readonly RingAllReduceOptions _ringOptions;
    private readonly RunSecurity _security;

    private CollectiveEndpoints(WebApplication app, TcpRingListener listener, CollectiveMailbox mailbox, RingAllReduceOptions ringOptions, string host, int grpcPort, RunSecurity security)
    {
        _security = security;
        _app = app;
        _listener = listener;
        _mailbox = mailbox;
        _ringOptions = ringOptions;
        CollectiveEndpoint = $"{host}:{grpcPort}";
        DataEndpoint = $"{host}:{listener.LocalEndPoint.Port}";
    }

    /// <summary>host:port of the Collective gRPC service.</summary>
    public string CollectiveEndpoint { get; }

    /// <summary>host:port of the tcp data plane.</summary>
    public string DataEndpoint { get; }

    /// <summary>Binds both endpoints (port 0: the OS picks) and starts serving.</summary>
    public static async Task<CollectiveEndpoints> StartAsync(WorkerOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(options.Host);
        var ringOptions = new RingAllReduceOptions { ConnectTimeout = options.ConnectTimeout };
        var mailbox = new CollectiveMailbox();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddRunSecurity(options.Security, GrpcRingTransport.MaxMessageBytes(ringOptions.ChunkFloats));
        builder.Services.AddRingCollective(mailbox, ringOptions);
        builder.Services.AddEmbeddedHostLifetime();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.CollectivePort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            options.Security.ConfigureEndpoint(listen);
        }));
        var app = builder.Build();
        app.MapGrpcService<CollectiveService>();
        var listener = new TcpRingListener(new IPEndPoint(address, options.DataPort), options.Security, loggers.CreateLogger<TcpRingListener>());
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            listener.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"cannot serve the collective endpoint on {options.Host}:{options.CollectivePort}: {e.Message}", e);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CollectiveEndpoints(app, listener, mailbox, ringOptions, options.AdvertiseHost ?? options.Host, new Uri(bound).Port, options.Security);
    }

    /// <summary>What this worker serves through FetchState when it is a generation's state source.</summary>
    public PublishedState State => _app.Services.GetRequiredService<PublishedState>();

    /// <summary>The ring options in force (chunk and bucket sizes).</summary>
    public RingAllReduceOptions RingOptions => _ringOptions;

    /// <summary>Connects this rank to its ring neighbours over the assignment's transport, for the network's gradients.</summary>
    /// <param name="assignment">The generation's ring.</param>
    /// <param name="energy">The network whose gradients are summed.</param>
    /// <param name="bucketBytes">The run's bucket size (null: the options' default).</param>
    /// <param name="overlap">All-reduce buckets during the backward.</param>
    /// <param name="cancellationToken">Cancels the connection.</param>
    public async Task<RingConnection> ConnectRingAsync(Assignment assignment, EnergyNetwork energy, long? bucketBytes, bool overlap, CancellationToken cancellationToken)
    {
        var buckets = new GradientBuckets(energy.parameters(), bucketBytes ?? _ringOptions.BucketBytes);
        var (transport, ring) = await ConnectAllReduceAsync(assignment, cancellationToken).ConfigureAwait(false);
        return new RingConnection(transport, new RingGradientReducer(ring, buckets, assignment.WorldSize, overlap));
    }

    /// <summary>
    /// Connects the assignment's transport (none for a world of one) and the all-reduce over it. The caller
    /// disposes the transport.
    /// </summary>
    public async Task<(IRingTransport? Transport, RingAllReduce Ring)> ConnectAllReduceAsync(Assignment assignment, CancellationToken cancellationToken)
    {
        var identity = new RingIdentity(assignment.RunId, assignment.Generation, assignment.Rank, assignment.WorldSize);
        identity.Validate();
        IRingTransport? transport = null;
        if (assignment.WorldSize > 1)
        {
            var right = assignment.Peers.Single(p => p.Rank == identity.RightRank);
            transport = assignment.Transport switch
            {
                "tcp" => await TcpRingTransport.ConnectAsync(_listener,
                    await PeerEndPoint.ResolveAsync(right.DataEndpoint, _ringOptions.ConnectTimeout, cancellationToken).ConfigureAwait(false),
                    identity, _ringOptions, cancellationToken).ConfigureAwait(false),
                "grpc" => OpenGrpc(identity, right.CollectiveEndpoint),
                _ => throw new ArgumentException($"unknown transport '{assignment.Transport}'; expected tcp or grpc"),
            };
        }
        return (transport, new RingAllReduce(transport, identity, _ringOptions));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private GrpcRingTransport OpenGrpc(RingIdentity identity, string rightEndpoint)
    {
        _mailbox.Open(identity);
        return new GrpcRingTransport(_security.PeerUri(rightEndpoint), _mailbox, identity, _ringOptions, _security);
    }
}
