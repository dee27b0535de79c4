namespace ToxicFunctions.Streaming;

/// <summary>
/// Tracks which source transactions Kafka has fully acknowledged, in commit order: the relay may confirm a WAL position
/// to PostgreSQL only when every event of every transaction up to it is durable in Kafka. Delivery reports arrive on
/// librdkafka's thread; everything here is safe to call from both threads.
/// </summary>
internal sealed class RelayAcknowledgements
{
    private readonly Lock _lock = new();
    private readonly Queue<Transaction> _open = new();
    private ulong _acknowledgedLsn;
    private Exception? _failure;

    /// <summary>The end of the last transaction whose events are all in Kafka.</summary>
    public ulong AcknowledgedLsn
    {
        get
        {
            lock (_lock)
            {
                return _acknowledgedLsn;
            }
        }
    }

    /// <summary>Whether no transaction is waiting for Kafka.</summary>
    public bool Idle
    {
        get
        {
            lock (_lock)
            {
                return _open.Count == 0;
            }
        }
    }

    /// <summary>The first delivery failure, if any.</summary>
    public Exception? Failure
    {
        get
        {
            lock (_lock)
            {
                return _failure;
            }
        }
    }

    public Transaction Begin()
    {
        var transaction = new Transaction();
        lock (_lock)
        {
            _open.Enqueue(transaction);
        }

        return transaction;
    }

    public void Sent(Transaction transaction)
    {
        lock (_lock)
        {
            transaction.Outstanding++;
        }
    }

    public void Delivered(Transaction transaction, Exception? error)
    {
        lock (_lock)
        {
            if (error is not null)
            {
                _failure ??= error;
                return;
            }

            transaction.Outstanding--;
            Advance();
        }
    }

    public void Commit(Transaction transaction, ulong endLsn)
    {
        lock (_lock)
        {
            transaction.EndLsn = endLsn;
            transaction.Committed = true;
            Advance();
        }
    }

    /// <summary>Throws the first delivery failure: the relay stops and resumes from the last acknowledged position.</summary>
    public void ThrowIfFailed()
    {
        lock (_lock)
        {
            if (_failure is not null)
            {
                throw new InvalidOperationException("Kafka did not accept a change event; the relay stops and resumes from its last confirmed position.", _failure);
            }
        }
    }

    private void Advance()
    {
        while (_open.TryPeek(out var head) && head.Committed && head.Outstanding == 0)
        {
            _acknowledgedLsn = Math.Max(_acknowledgedLsn, head.EndLsn);
            _open.Dequeue();
        }
    }

    /// <summary>One source transaction on its way to Kafka.</summary>
    public sealed class Transaction
    {
        public int Outstanding { get; set; }

        public bool Committed { get; set; }

        public ulong EndLsn { get; set; }

        /// <summary>The transaction's span (null when nothing records traces): its events carry it as their <c>traceparent</c>.</summary>
        public System.Diagnostics.Activity? Trace { get; set; }
    }
}
