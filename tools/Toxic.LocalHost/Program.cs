using ToxicFunctions.LocalHost;

await LocalFunctionHost.Build(args).RunAsync();
