using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace RLDistributed.Cli.Tests.Data;

/// <summary>
/// An HTTP file server on 127.0.0.1 for download tests: serves in-memory files by their last path segment,
/// honours "Range: bytes=N-" unless told not to, and can cut the connection halfway through a response.
/// </summary>
public sealed class LoopbackFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Task _loop;
    private int _cutRequests;

    public LoopbackFileServer()
    {
        // A port the OS just handed out is free unless another process grabs it in between; retry then.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            BaseAddress = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(BaseAddress.AbsoluteUri);
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseAddress { get; }

    /// <summary>When false the server answers every request with 200 and the whole file, as if Range were unknown.</summary>
    public bool SupportsRange { get; set; } = true;

    /// <summary>The next this-many file responses send half their bytes, then drop the connection.</summary>
    public int CutRequests
    {
        get => Volatile.Read(ref _cutRequests);
        set => Volatile.Write(ref _cutRequests, value);
    }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public void Add(string fileName, byte[] content) => _files[fileName] = content;

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { /* the loop ends by its listener failing */ }
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var name = Path.GetFileName(request.Url!.AbsolutePath);
        var rangeHeader = request.Headers["Range"];
        _requests.Enqueue(new RecordedRequest(request.Url.AbsolutePath, rangeHeader));
        try
        {
            if (!_files.TryGetValue(name, out var content))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }

            long from = 0;
            if (SupportsRange && rangeHeader is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                from = long.Parse(range["bytes=".Length..^1]);
                if (from >= content.Length)
                {
                    response.StatusCode = 416;
                    response.Headers["Content-Range"] = $"bytes */{content.Length}";
                    response.Close();
                    return;
                }
                response.StatusCode = 206;
                response.Headers["Content-Range"] = $"bytes {from}-{content.Length - 1}/{content.Length}";
            }
            var length = content.Length - (int)from;
            response.ContentLength64 = length;
            if (Interlocked.Decrement(ref _cutRequests) >= 0)
            {
                await response.OutputStream.WriteAsync(content.AsMemory((int)from, Math.Max(1, length / 2)));
                await response.OutputStream.FlushAsync();
                await Task.Delay(200); // let the sent half reach the client before the reset
                response.Abort();
                return;
            }
            Interlocked.Exchange(ref _cutRequests, 0);
            await response.OutputStream.WriteAsync(content.AsMemory((int)from, length));
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; nothing to serve.
        }
    }
}
