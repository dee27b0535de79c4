using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ToxicFunctions;
using ToxicFunctions.Functions.Streaming;
using ToxicFunctions.Streaming;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddToxicFunctions(builder.Configuration);
builder.Services.AddSingleton<IValidateOptions<KafkaOptions>, KafkaTriggerSecurityValidator>();
builder.Build().Run();
