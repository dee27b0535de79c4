using ToxicFunctions;
using ToxicFunctions.LocalHost;

// Serves the Function App's own function classes through their real triggers where Azure Functions Core Tools
// (`func start`) is not available: HTTP routes on http://127.0.0.1:7071/api/..., and the raw blob container polled
// like the Functions host's blob trigger. No pipeline logic lives here.
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["LocalHost:Urls"] ?? "http://127.0.0.1:7071");
builder.Services.AddToxicFunctions(builder.Configuration);
builder.Services.AddLocalFunctionTriggers();

var app = builder.Build();
app.MapLocalFunctionRoutes();
await app.RunAsync();
