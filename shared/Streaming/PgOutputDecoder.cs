using System.Runtime.CompilerServices;
using Npgsql;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;

namespace ToxicFunctions.Streaming;

/// <summary>
/// Turns pgoutput replication messages into the relay's events: transaction boundaries and captured changes with
/// their before/after rows (text format) and source positions. Relation messages describe the tables; the catalog adds
/// their primary keys. A truncate gives one change per truncated table. An unchanged TOASTed value (which pgoutput does
/// not send) is taken from the old row when there is one (REPLICA IDENTITY FULL), else written as
/// <see cref="CdcOptions.UnavailableValuePlaceholder"/> in text-like columns and null in others, as Debezium does.
/// </summary>
internal sealed class PgOutputDecoder(NpgsqlDataSource dataSource, string unavailableValuePlaceholder)
{
    private readonly Dictionary<uint, CapturedTable> _tables = [];
    private uint? _xid;
    private ulong _commitLsn;
    private DateTimeOffset _committedAt = DateTimeOffset.UtcNow;

    /// <summary>Decodes the stream; each message's rows are read completely before its events are handed on.</summary>
    public async IAsyncEnumerable<ReplicationEvent> DecodeAsync(
        IAsyncEnumerable<PgOutputReplicationMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in messages.WithCancellation(cancellationToken))
        {
            switch (message)
            {
                case BeginMessage begin:
                    _xid = begin.TransactionXid;
                    _commitLsn = (ulong)begin.TransactionFinalLsn;
                    _committedAt = begin.TransactionCommitTimestamp;
                    yield return new TransactionBegun();
                    break;

                case RelationMessage relation:
                    _tables[relation.RelationId] = await DescribeAsync(relation, cancellationToken);
                    break;

                case InsertMessage insert:
                    {
                        var table = _tables[insert.Relation.RelationId];
                        var after = await ReadRowAsync(table, insert.NewRow, null, cancellationToken);
                        yield return Change(table, 'c', null, after, message);
                        break;
                    }

                case UpdateMessage update:
                    {
                        var table = _tables[update.Relation.RelationId];
                        var before = update is FullUpdateMessage full ? await ReadRowAsync(table, full.OldRow, null, cancellationToken) : null;
                        var after = await ReadRowAsync(table, update.NewRow, before, cancellationToken);
                        yield return Change(table, 'u', before, after, message);
                        break;
                    }

                case FullDeleteMessage delete:
                    {
                        var table = _tables[delete.Relation.RelationId];
                        var before = await ReadRowAsync(table, delete.OldRow, null, cancellationToken);
                        yield return Change(table, 'd', before, null, message);
                        break;
                    }

                case KeyDeleteMessage delete:
                    {
                        var table = _tables[delete.Relation.RelationId];
                        var before = await ReadRowAsync(table, delete.Key, null, cancellationToken);
                        yield return Change(table, 'd', before, null, message);
                        break;
                    }

                case TruncateMessage truncate:
                    // pgoutput sends the relation of every truncated published table before the truncate itself.
                    foreach (var relation in truncate.Relations)
                    {
                        if (!_tables.TryGetValue(relation.RelationId, out var table))
                        {
                            table = _tables[relation.RelationId] = await DescribeAsync(relation, cancellationToken);
                        }

                        yield return Change(table, 't', null, null, message);
                    }

                    break;

                case CommitMessage commit:
                    yield return new TransactionCommitted((ulong)commit.TransactionEndLsn);
                    break;
            }
        }
    }

    private CapturedChange Change(CapturedTable table, char op, string?[]? before, string?[]? after, PgOutputReplicationMessage message) =>
        new(table, op, before, after, new ChangeSource((ulong)message.WalStart, _commitLsn, _xid, _committedAt, "false"));

    private async Task<CapturedTable> DescribeAsync(RelationMessage relation, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var catalog = await CapturedTableCatalog.ReadAsync(connection, relation.Namespace, relation.RelationName, cancellationToken);

        // The relation message is authoritative for the columns of the stream; the catalog adds the primary key.
        var columns = relation.Columns.Select(c => new CapturedColumn(c.ColumnName, c.DataTypeId)).ToList();
        var keyNames = catalog.KeyColumns.Select(i => catalog.Columns[i].Name).ToHashSet();
        var keys = columns.Select((c, i) => (c, i)).Where(x => keyNames.Contains(x.c.Name)).Select(x => x.i).ToList();
        return new CapturedTable(relation.Namespace, relation.RelationName, columns, keys);
    }

    /// <summary>
    /// Reads a row in text format. An unchanged TOASTed value (not sent) is taken from <paramref name="previous"/>;
    /// without one it is unavailable: the placeholder in a text-like column, else null.
    /// </summary>
    private async Task<string?[]> ReadRowAsync(CapturedTable table, ReplicationTuple tuple, string?[]? previous, CancellationToken cancellationToken)
    {
        var row = new string?[tuple.NumColumns];
        var i = 0;
        await foreach (var value in tuple.WithCancellation(cancellationToken))
        {
            row[i] = value.IsDBNull ? null
                : value.IsUnchangedToastedValue ? previous is not null ? previous[i] : Unavailable(table.Columns[i])
                : await value.Get<string>(cancellationToken);
            i++;
        }

        return row;
    }

    private string? Unavailable(CapturedColumn column) =>
        DebeziumEventWriter.IsTextLike(column.TypeOid) ? unavailableValuePlaceholder : null;
}
