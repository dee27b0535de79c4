using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ToxicFunctions.Scoring;
using ToxicFunctions.Telemetry;
using ToxicFunctions.Tokenization;

namespace ToxicFunctions.Cli;

/// <summary>
/// <c>toxic serve --model DIR [--urls URL]</c>: the scoring API of the Function App (<c>POST /api/score</c>,
/// <c>GET /api/health</c>, <c>GET /api/openapi.json</c>, the routes of <see cref="ScoringRoutes"/>) from one model
/// directory, with no other service: the same request reader, micro-batching, responses and problem+json errors; and
/// <c>GET /metrics</c>, the scoring metrics of <see cref="Telemetry.ToxicMetrics"/> for Prometheus.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The address <c>func start</c> and the local host listen on, and so this command by default.</summary>
    public const string DefaultUrls = "http://127.0.0.1:7071";

    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "model directory: from toxic train, a registered version's files, or a HuggingFace ONNX export", Required = true };
        var urls = new Option<string>("--urls") { Description = $"addresses to listen on, separated by ';' (default {DefaultUrls})", DefaultValueFactory = _ => DefaultUrls };
        var command = new Command("serve", "Serve POST /api/score, GET /api/health, GET /api/openapi.json and GET /metrics (Prometheus) from a model directory, with no other service.")
        {
            model,
            urls,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = await BuildAsync(parse.GetValue(model)!.FullName, parse.GetValue(urls)!, new Dictionary<string, string?>(), Console.Error, cancellationToken);
            if (app is null)
            {
                return 1;
            }

            await app.StartAsync(cancellationToken);
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    /// <summary>Builds the server; null (with the reason on <paramref name="errors"/>) when the model cannot be loaded.</summary>
    /// <param name="modelDirectory">The model directory.</param>
    /// <param name="urls">The addresses to listen on.</param>
    /// <param name="settings">Settings over the environment's (Scoring:Threshold, Scoring:MaxBatchTexts ...).</param>
    /// <param name="errors">Where load errors are written.</param>
    /// <param name="cancellationToken">Stops loading.</param>
    public static async Task<WebApplication?> BuildAsync(
        string modelDirectory, string urls, IReadOnlyDictionary<string, string?> settings, TextWriter errors, CancellationToken cancellationToken)
    {
        DirectoryModelSource source;
        try
        {
            source = await DirectoryModelSource.LoadAsync(modelDirectory, WordPieceTokenizer.DistilBertBaseUncased, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            await errors.WriteLineAsync($"{modelDirectory}: {e.Message}");
            return null;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddEnvironmentVariables().AddInMemoryCollection(settings);
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(urls);
        builder.Services.AddSingleton(source);
        builder.Services.AddSingleton<ModelSource>(source);
        builder.Services.AddToxicScoring(builder.Configuration);
        builder.Services.AddProblemDetails();
        builder.Services.AddToxicTelemetryExport("toxic-serve", builder.Configuration);
        var app = builder.Build();
        app.UseStatusCodePages();
        app.MapPrometheusScrapingEndpoint();
        app.MapPost($"/api/{ScoringRoutes.Score}", ScoreAsync);
        app.MapGet($"/api/{ScoringRoutes.Health}", HealthAsync);
        app.MapGet($"/api/{ScoringRoutes.ApiDocument}", () => Results.Text(ScoringApiDocument.Json, "application/json"));
        return app;
    }

    private static async Task<IResult> ScoreAsync(HttpRequest request, ScoringBatcher batcher, CancellationToken cancellationToken)
    {
        try
        {
            var scoring = await ScoringRequest.ReadAsync(request.Body, request.ContentType, cancellationToken);
            return Results.Ok(await batcher.ScoreAsync(scoring.Texts, cancellationToken));
        }
        catch (Exception e) when (ScoringErrors.TryDescribe(e, out var status, out var title))
        {
            return Results.Problem(e.Message, statusCode: status, title: title, type: $"https://httpstatuses.io/{status}");
        }
    }

    private static async Task<IResult> HealthAsync(ModelSource source, CancellationToken cancellationToken)
    {
        var health = await ScoringHealth.CheckAsync(source, cancellationToken);
        return Results.Json(health, statusCode: health.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
