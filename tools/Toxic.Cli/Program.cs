using System.CommandLine;
using ToxicFunctions.Cli;

var root = new RootCommand("toxic: the ToxicFunctions command-line tool (local services by default; override with environment variables such as Postgres__ConnectionString)")
{
    TokenizeCommand.Create(),
    UploadCommand.Create(),
    IngestCommand.Create(),
    MigrateCommand.Create(),
    S3NotifyCommand.Create(),
    CdcRelayCommand.Create(),
    TransformCommand.Create(),
    ValidateCommand.Create(),
    TrainCommand.Create(),
    ScoreCommand.Create(),
    ServeCommand.Create(),
    EvaluateCommand.Create(),
    LakeCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
