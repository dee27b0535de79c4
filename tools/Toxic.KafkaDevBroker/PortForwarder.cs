using System.Net;
using System.Net.Sockets;

namespace Toxic.KafkaDevBroker;

/// <summary>
/// Listens on a fixed loopback port and pipes each connection to a mock broker's ephemeral port
/// (the mock cluster cannot bind a chosen port itself).
/// </summary>
internal sealed class PortForwarder : IDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;

    /// <exception cref="SocketException">The port is in use.</exception>
    public PortForwarder(int port, int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _ = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // listener stopped
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using var downstream = client;
        using var upstream = new TcpClient { NoDelay = true };
        downstream.NoDelay = true;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _targetPort);
            var a = downstream.GetStream();
            var b = upstream.GetStream();
            // Either side closing ends the pair; disposing both closes the other side.
            await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // A peer went away: nothing to do, the connection is closed.
        }
    }

    public void Dispose() => _listener.Stop();
}
