using System.Net;
using System.Net.Sockets;

namespace RLDistributed.IntegrationTests;

/// <summary>
/// A loopback port that refuses connections for as long as this object lives: bound, never listening. A port
/// only probed and closed again can be handed out at once to another socket bound to port 0 (the worker under
/// test binds its own collective and data endpoints that way) or become an outgoing connection's own source
/// port; either way the "unreachable" coordinator then answers.
/// </summary>
internal sealed class ClosedPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ClosedPort()
    {
        // While the port is bound, Linux gives it to no bind to port 0 (those pick a port nobody holds) and to no
        // outgoing connection as its source port (those skip ports taken by bind); with no listener a connection to
        // it is reset: refused. An explicit bind to this very port with SO_REUSEADDR, as .NET always sets, could
        // still share it; nothing under test binds a port it did not get from port 0 or a flag.
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The held port.</summary>
    public int Port { get; }

    /// <summary>The port as an http address on loopback.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    public void Dispose() => _socket.Dispose();
}
