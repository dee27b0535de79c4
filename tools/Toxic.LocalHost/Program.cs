using ToxicFunctions.LocalHost;

if (EncoderWorker.IsRequested(args))
{
    await EncoderWorker.Build(args).RunAsync();
}
else
{
    await LocalFunctionHost.Build(args).RunAsync();
}
