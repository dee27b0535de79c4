using ToxicFunctions.Bench;

switch (args.Length > 0 ? args[0] : "")
{
    case "tokenizer":
        return TokenizerBenchmark.Run(args[1..]);
    case "ingest":
        return await IngestBenchmark.RunAsync(args[1..]);
    case "large":
        return await LargeObjectBenchmark.RunAsync(args[1..]);
    case "validate":
        return await ValidateBenchmark.RunAsync(args[1..]);
    case "cdc":
        return await CdcBenchmark.RunAsync(args[1..]);
    case "train":
        return await TrainBenchmark.RunAsync(args[1..]);
    case "score":
        return await ScoreBenchmark.RunAsync(args[1..]);
    default:
        Console.Error.WriteLine("usage: Toxic.Bench ingest [rounds] | tokenizer [csv path] [--rounds N] | large | validate [rows] [rounds] | cdc [seconds] [events_per_s] | train [--rounds N] [--no-cv] | score [--seconds S]");
        return 2;
}
