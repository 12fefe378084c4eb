using Shouldly;
using Waypoint.Shell;

namespace Waypoint.Tests.Shell;

public sealed class EndSignalsTests
{
    private static Task<bool> NotYet(CancellationToken _) => Task.FromResult(false);

    [Fact]
    public async Task OneWaiterGivesUp_TheOtherStillHearsTheEnd()
    {
        var signals = new EndSignals();
        var id = Guid.NewGuid();
        using var impatient = new CancellationTokenSource();
        var first = signals.WaitAsync(id, NotYet, impatient.Token);
        var second = signals.WaitAsync(id, NotYet, CancellationToken.None);

        await impatient.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => first);
        second.IsCompleted.ShouldBeFalse();

        signals.Ended(id);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task EndedBeforeTheWait_CompletesAtOnceFromTheStore_AndLaterWaitersStillWaitForTheirOwnEnd()
    {
        var signals = new EndSignals();
        var id = Guid.NewGuid();

        await signals.WaitAsync(id, _ => Task.FromResult(true), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        // Work with the same id queued again: a new waiter is not completed by the earlier end.
        var again = signals.WaitAsync(id, NotYet, CancellationToken.None);
        again.IsCompleted.ShouldBeFalse();
        signals.Ended(id);
        await again.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task EndedBetweenRegisteringAndReadingTheStore_NotMissed()
    {
        var signals = new EndSignals();
        var id = Guid.NewGuid();

        // The worker records the end while the waiter is reading the store, which still says "not yet".
        var wait = signals.WaitAsync(id, _ =>
        {
            signals.Ended(id);
            return Task.FromResult(false);
        }, CancellationToken.None);

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
