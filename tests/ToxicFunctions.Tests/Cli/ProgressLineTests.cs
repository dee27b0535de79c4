using Microsoft.Extensions.Time.Testing;
using ToxicFunctions.Cli;

namespace ToxicFunctions.Tests.Cli;

/// <summary>The CLI's progress line: its text (amounts, rates, time left, final line), throttling and when it is shown at all.</summary>
public sealed class ProgressLineTests
{
    [Fact]
    public void Bytes_show_done_total_rate_and_time_left_in_SI_units()
    {
        var line = ProgressLine.Format("ingest", ProgressUnit.Bytes, 480_000_000, 1_000_000_000, TimeSpan.FromSeconds(10), final: false);

        // 48 MB/s leaves 520 MB for 10.8 s, rounded up.
        Assert.Equal("ingest  480.0 MB / 1.0 GB  48.0 MB/s  11s left", line);
    }

    [Fact]
    public void Counts_name_their_unit_once_and_keep_a_decimal_on_slow_rates()
    {
        var line = ProgressLine.Format("validate", ProgressUnit.Count("expectations"), 3, 12, TimeSpan.FromSeconds(2), final: false);

        Assert.Equal("validate  3 / 12 expectations  1.5 expectations/s  6s left", line);
    }

    [Fact]
    public void The_final_line_gives_the_average_rate_and_the_time_taken_instead_of_time_left()
    {
        var line = ProgressLine.Format("featurize", ProgressUnit.Count("comments"), 130_000, 130_000, TimeSpan.FromSeconds(65), final: true);

        Assert.Equal("featurize  130,000 / 130,000 comments  2,000 comments/s  done in 1m05s", line);
    }

    [Fact]
    public void Without_a_total_or_before_anything_is_done_there_is_no_time_left()
    {
        Assert.Equal("ingest  1.5 GB  150.0 MB/s", ProgressLine.Format("ingest", ProgressUnit.Bytes, 1_500_000_000, null, TimeSpan.FromSeconds(10), final: false));
        Assert.Equal("upload  0 B / 2.0 GB", ProgressLine.Format("upload", ProgressUnit.Bytes, 0, 2_000_000_000, TimeSpan.FromSeconds(3), final: false));
        Assert.Equal("upload  0 B / 2.0 GB", ProgressLine.Format("upload", ProgressUnit.Bytes, 0, 2_000_000_000, TimeSpan.Zero, final: false));
    }

    [Theory]
    [InlineData(999, "999 B")]
    [InlineData(1000, "1.0 kB")]
    [InlineData(412_345_678, "412.3 MB")]
    [InlineData(1_073_741_824, "1.1 GB")]
    [InlineData(2_500_000_000_000, "2.5 TB")]
    public void Byte_amounts(double bytes, string expected) => Assert.Equal(expected, ProgressLine.Amount(ProgressUnit.Bytes, bytes));

    [Theory]
    [InlineData(0.2, "1s")]
    [InlineData(59, "59s")]
    [InlineData(60, "1m00s")]
    [InlineData(754, "12m34s")]
    [InlineData(3700, "1h01m")]
    public void Durations_round_up_to_whole_seconds(double seconds, string expected) =>
        Assert.Equal(expected, ProgressLine.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Reports_within_the_interval_write_once_and_the_next_interval_writes_again()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var progress = new ProgressLine(output, "ingest", ProgressUnit.Bytes, 10_000, time);

        for (var done = 1; done <= 1000; done++)
        {
            progress.Report(done);
        }

        Assert.Equal(1, output.ToString().Count(c => c == '\r'));
        time.Advance(ProgressLine.Interval / 2);
        progress.Report(2000);
        Assert.Equal(1, output.ToString().Count(c => c == '\r'));

        time.Advance(ProgressLine.Interval / 2);
        progress.Report(3000);
        Assert.Equal(2, output.ToString().Count(c => c == '\r'));
        Assert.EndsWith("\ringest  3.0 kB / 10.0 kB  12.0 kB/s  1s left", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_writes_the_final_line_and_a_newline_and_later_reports_write_nothing()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var progress = new ProgressLine(output, "upload", ProgressUnit.Bytes, 4_000_000, time);
        progress.Report(1_000_000);
        time.Advance(TimeSpan.FromSeconds(2));

        progress.Report(4_000_000);
        progress.Complete();
        var completed = output.ToString();
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report(4_000_000);
        progress.Complete();

        Assert.Equal(
            "\rupload  1.0 MB / 4.0 MB" + "\rupload  4.0 MB / 4.0 MB  2.0 MB/s  0s left" + "\rupload  4.0 MB / 4.0 MB  2.0 MB/s  done in 2s" + Environment.NewLine,
            completed);
        Assert.Equal(completed, output.ToString());
    }

    [Fact]
    public void A_shorter_line_is_padded_with_spaces_over_the_rest_of_the_longer_one()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var progress = new ProgressLine(output, "load", ProgressUnit.Count("rows"), 1000, time);
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report(10);
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report(990);

        const string first = "load  10 / 1,000 rows  10 rows/s  1m39s left";
        const string second = "load  990 / 1,000 rows  495 rows/s  1s left";
        Assert.Equal("\r" + first + "\r" + second + new string(' ', first.Length - second.Length), output.ToString());
    }

    [Fact]
    public void A_new_stage_keeps_the_shown_stage_final_line_and_restarts_rate_and_total()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var progress = new ProgressLine(output, "hash", ProgressUnit.Bytes, 1000, time);
        progress.Report(500);
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report(1000);

        progress.Stage("fit", ProgressUnit.Count("fits"), 3);
        time.Advance(TimeSpan.FromSeconds(4));
        progress.Report(2);

        var lines = output.ToString().Split(Environment.NewLine);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("\rhash  1.0 kB / 1.0 kB  1.0 kB/s  done in 1s", lines[0].TrimEnd(' '), StringComparison.Ordinal);
        Assert.EndsWith("\rfit  2 / 3 fits  0.5 fits/s  2s left", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Out_of_order_reports_from_parallel_workers_never_move_the_line_back()
    {
        var time = new FakeTimeProvider();
        var output = new StringWriter();
        var progress = new ProgressLine(output, "featurize", ProgressUnit.Count("comments"), 1000, time);
        progress.Report(768);
        time.Advance(ProgressLine.Interval);
        progress.Report(512);

        Assert.EndsWith("\rfeaturize  768 / 1,000 comments  3,072 comments/s  1s left", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false, "xterm-256color", true)]
    [InlineData(false, false, null, true)]
    [InlineData(false, true, "xterm-256color", false)]
    [InlineData(false, false, "dumb", false)]
    [InlineData(true, false, "xterm-256color", false)]
    public void Shown_only_on_a_terminal_that_can_rewrite_a_line_and_not_with_no_progress(bool disabled, bool redirected, string? term, bool shown) =>
        Assert.Equal(shown, ProgressLine.Wanted(disabled, redirected, term));
}
