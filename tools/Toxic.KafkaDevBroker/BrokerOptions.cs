using System.Globalization;
using System.Text.RegularExpressions;

namespace Toxic.KafkaDevBroker;

/// <summary>A topic to pre-create: the mock cluster does not serve CreateTopics.</summary>
internal sealed partial record TopicSpec(string Name, int Partitions)
{
    /// <summary>Parses "name:partitions".</summary>
    public static TopicSpec Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        var name = colon < 0 ? text : text[..colon];
        if (!TopicName().IsMatch(name))
        {
            throw new FormatException($"invalid topic name in '{text}' (use letters, digits, '.', '_', '-')");
        }

        var partitions = colon < 0 ? 1 : BrokerOptions.ParseInt(text[(colon + 1)..], 1, 1000, $"partitions of '{text}'");
        return new TopicSpec(name, partitions);
    }

    public override string ToString() => $"{Name}:{Partitions}";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,249}$")]
    private static partial Regex TopicName();
}

/// <summary>Command line of the dev broker.</summary>
internal sealed record BrokerOptions(int Brokers, int Port, IReadOnlyList<TopicSpec> Topics)
{
    public const string Usage = """
        usage: Toxic.KafkaDevBroker [--brokers N] [--port PORT] [--topic NAME:PARTITIONS]...
          --brokers N    mock brokers, listening on 127.0.0.1:PORT .. PORT+N-1 (default 1)
          --port PORT    first broker port = bootstrap port (default 9092)
          --topic T:P    topic to pre-create, repeatable (default toxic.source.comments:3)
        """;

    public static IReadOnlyList<TopicSpec> DefaultTopics { get; } = [new("toxic.source.comments", 3)];

    /// <summary>Returns null when help was asked for.</summary>
    /// <exception cref="FormatException">An argument is unknown or invalid.</exception>
    public static BrokerOptions? Parse(IReadOnlyList<string> args)
    {
        int brokers = 1, port = 9092;
        var topics = new List<TopicSpec>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => ++i < args.Count ? args[i] : throw new FormatException($"{arg} needs a value");
            switch (arg)
            {
                case "--brokers": brokers = ParseInt(Value(), 1, 16, arg); break;
                case "--port": port = ParseInt(Value(), 1, 65535, arg); break;
                case "--topic": topics.Add(TopicSpec.Parse(Value())); break;
                case "-h" or "--help": return null;
                default: throw new FormatException($"unknown argument '{arg}'");
            }
        }

        if (port + brokers - 1 > 65535)
        {
            throw new FormatException("--port + --brokers exceeds 65535");
        }

        if (topics.DistinctBy(t => t.Name).Count() != topics.Count)
        {
            throw new FormatException("a topic is given twice");
        }

        return new BrokerOptions(brokers, port, topics.Count > 0 ? topics : DefaultTopics);
    }

    internal static int ParseInt(string text, int min, int max, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{what}: expected an integer {min}..{max}, got '{text}'");
}
