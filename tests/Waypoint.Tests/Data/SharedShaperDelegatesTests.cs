using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;
using Shouldly;
using Waypoint.Data;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;

#pragma warning disable EF9100 // EF's liftable-constant step is experimental API.

namespace Waypoint.Tests.Data;

/// <summary>
/// <see cref="SharedShaperDelegates"/>: a lambda nested in a query's executor that uses nothing around it
/// becomes one delegate made at compile time; one that reads the code around it is left to be made per
/// evaluation; and queries (a collection in a projection, the filters) return what they did.
/// </summary>
public abstract class SharedShaperDelegatesTests(WaypointApp app)
{
    [Fact]
    public void ANestedLambdaThatUsesNothingAround_IsCompiledOnce_OneThatReadsAnOuterParameter_IsLeft()
    {
        var outer = Expression.Parameter(typeof(int), "outer");
        var x = Expression.Parameter(typeof(int), "x");
        var apply = typeof(SharedShaperDelegatesTests).GetMethod(nameof(Apply), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var closed = Expression.Lambda<Func<int, int>>(Expression.Add(x, Expression.Constant(1)), x);
        var reading = Expression.Lambda<Func<int, int>>(Expression.Add(x, outer), x);
        var body = Expression.Add(Expression.Call(apply, closed, outer), Expression.Call(apply, reading, outer));

        var visitor = new SharedShaperDelegates.NestedLambdas();
        var rewritten = visitor.Visit(body);

        visitor.Shared.ShouldBe(1);
        var lambdas = new List<LambdaExpression>();
        new LambdaCollector(lambdas).Visit(rewritten);
        lambdas.ShouldBe([reading]);
        Expression.Lambda<Func<int, int>>(rewritten, outer).Compile()(10).ShouldBe(11 + 20);
    }

    [Fact]
    public void AQuotedLambda_IsLeftAnExpressionTree()
    {
        Expression<Func<int, int>> inner = x => x + 1;
        var quoted = Expression.Quote(inner);
        new SharedShaperDelegates.NestedLambdas().Visit(quoted).ShouldBeSameAs(quoted);
    }

    [Fact]
    public async Task TheContext_UsesIt_AndAProjectionWithACollection_ReturnsWhatFlatQueriesReturn()
    {
        var w = await CaseWorld.OpenAsync(app);
        var dsl = await w.P.UserAsync(w.P.School);
        var ids = new List<Guid> { w.Child.Id, w.Mother.Id };
        foreach (var reader in new[] { w.Lead, dsl })
        {
            await app.AsUserAsync(reader, async (db, _) =>
            {
                db.GetService<ILiftableConstantProcessor>().ShouldBeOfType<SharedShaperDelegates>();
                for (var run = 0; run < 2; run++)
                {
                    var nested = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).OrderBy(p => p.Id)
                        .Select(p => new { p.Id, Cases = db.Cases.Where(c => c.PersonId == p.Id).OrderBy(c => c.Id).Select(c => c.Id).ToList() })
                        .ToListAsync();
                    var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).OrderBy(p => p.Id).Select(p => p.Id).ToListAsync();
                    var cases = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.PersonId)).OrderBy(c => c.Id).Select(c => new { c.Id, c.PersonId }).ToListAsync();

                    nested.Select(n => n.Id).ShouldBe(people);
                    foreach (var n in nested)
                        n.Cases.ShouldBe(cases.Where(c => c.PersonId == n.Id).Select(c => c.Id).ToList());
                }
                return true;
            });
        }
    }

    private static int Apply(Func<int, int> f, int v) => f(v);

    private sealed class LambdaCollector(List<LambdaExpression> found) : ExpressionVisitor
    {
        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            found.Add(node);
            return base.VisitLambda(node);
        }
    }
}

public sealed class SharedShaperDelegatesTestsOnSqlite(SqliteApp app) : SharedShaperDelegatesTests(app), IClassFixture<SqliteApp>;

public sealed class SharedShaperDelegatesTestsOnPostgres(PostgresApp app) : SharedShaperDelegatesTests(app), IClassFixture<PostgresApp>;
