using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ToxicFunctions.Tests.Infrastructure;

namespace ToxicFunctions.Tests.Ingestion;

/// <summary>
/// A push endpoint between the S3 server and the S3Events function: keeps every body the server pushed and the
/// function's answer, and runs a hook before forwarding (to delete an object between its upload and its delivery).
/// </summary>
internal sealed class NotificationRelay : IAsyncDisposable
{
    private readonly WebApplication _app;

    private NotificationRelay(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The URL to give the S3 server as push endpoint.</summary>
    public Uri Address { get; }

    /// <summary>Each delivery: the body the server pushed, and the function's status and body.</summary>
    public ConcurrentQueue<(string Pushed, int Status, string Answer)> Deliveries { get; } = new();

    public static async Task<NotificationRelay> StartAsync(Uri functionAddress, Func<string, Task> beforeForward)
    {
        var port = ToxicCli.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var http = new HttpClient { BaseAddress = functionAddress };
        NotificationRelay? relay = null;
        app.MapPost("/", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            await beforeForward(body);
            using var response = await http.PostAsync("api/s3/events", new StringContent(body, Encoding.UTF8, "application/json"));
            var answer = await response.Content.ReadAsStringAsync();
            relay!.Deliveries.Enqueue((body, (int)response.StatusCode, answer));
            return Results.Content(answer, "application/json", Encoding.UTF8, (int)response.StatusCode);
        });
        relay = new NotificationRelay(app, new Uri($"http://127.0.0.1:{port}/"));
        await app.StartAsync();
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
