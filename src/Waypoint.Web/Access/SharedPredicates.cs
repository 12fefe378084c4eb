using System.Linq.Expressions;
using System.Reflection;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Access;

/// <summary>
/// The predicates the access policy's filters share, each written once. A filter names one by
/// calling its marker method (<see cref="PersonVisible"/>, <see cref="Flows"/>, ...);
/// <see cref="Expand{T}"/> replaces each call with the predicate's expression before EF sees the
/// filter, so the SQL is as if it had been written out in full (markers throw if ever run).
/// </summary>
internal sealed class SharedPredicates
{
    private readonly Dictionary<string, LambdaExpression> bodies;

    public SharedPredicates(WaypointDbContext db)
    {
        Expression<Func<DateOnly, DateOnly?, bool>> isCurrent = (start, end) => start <= db.Today && (end == null || end >= db.Today);
        // RuleHoldsRule with its context the filters' own (as if written here): the filters and a compiled query share the one rule.
        Expression<Func<WaypointDbContext>> context = () => db;
        var ruleHolds = WithContext(RuleHoldsRule, context.Body);
        // PersonAccess.CaseRule with the filters' context, organisation and day: the Case filter and an opened person's cases read one rule.
        Expression<Func<Guid>> organisation = () => db.ReaderOrganisationId;
        Expression<Func<DateOnly>> today = () => db.Today;
        var caseRule = PersonAccess.CaseRule;
        var caseRuleHolds = Expression.Lambda(new Substitution(new Dictionary<Expression, Expression>
        {
            [caseRule.Parameters[0]] = context.Body,
            [caseRule.Parameters[3]] = organisation.Body,
            [caseRule.Parameters[4]] = today.Body,
        }).Visit(caseRule.Body)!, caseRule.Parameters[1], caseRule.Parameters[2]);
        Expression<Func<string, OrganisationType, bool>> flows = (category, ownerType) =>
            db.Set<SharingRule>().Any(s => s.OwnerType == ownerType && RuleHolds(s, category, db.ReaderOrganisationType));
        Expression<Func<Guid, bool>> personVisible = id => db.Set<Person>().Any(p => p.Id == id);
        Expression<Func<Guid, bool>> caseVisible = id => db.Set<Case>().Any(c => c.Id == id);
        Expression<Func<string, bool>> historyLineShown = text => !text.StartsWith(CaseEvent.LegacyNotePrefix);
        // The areas a set of the reader's grants cover (an area, its parent or its grandparent holds a
        // grant), as a set that does not depend on the row: PostgreSQL computes it once per query and
        // probes it per row, where a grant lookup per person cost more than the search. The set is read
        // from the reader's grants outwards, so for the many readers who hold none (a school, the police)
        // it is empty after one probe of their grants, where reading it from the areas inwards scanned
        // and joined every area of the county on each use (a third of the person page's open). A cross
        // join with the cover as its condition, not a correlated SelectMany: SQLite has no lateral join.
        // One cover for any function and for one: the function is a condition on the grants, nothing more.
        Expression<Func<IQueryable<PartnershipRoleGrant>>> readerGrants = () =>
            db.Set<PartnershipRoleGrant>().Where(g => g.UserId == db.ReaderUserId && IsCurrent(g.StartDate, g.EndDate));
        Expression<Func<IQueryable<PartnershipRoleGrant>, IQueryable<Guid>>> areasCoveredByGrants = grants =>
            grants.SelectMany(g => db.Set<Area>(), (g, a) => new { g.AreaId, Area = a })
                .Where(c => c.AreaId == c.Area.Id || c.AreaId == c.Area.ParentId || c.AreaId == c.Area.Parent!.ParentId)
                .Select(c => c.Area.Id);
        Expression<Func<IQueryable<Guid>>> areasCoveredByAnyFunction = () => AreasCoveredByGrants(ReaderGrants());
        Expression<Func<PartnershipFunction, IQueryable<Guid>>> areasCoveredBy = function =>
            AreasCoveredByGrants(ReaderGrants().Where(g => g.Function == function));
        bodies = new Dictionary<string, LambdaExpression>
        {
            [nameof(IsCurrent)] = isCurrent,
            [nameof(RuleHolds)] = ruleHolds,
            [nameof(Flows)] = flows,
            [nameof(PersonVisible)] = personVisible,
            [nameof(CaseVisible)] = caseVisible,
            [nameof(CaseRuleHolds)] = caseRuleHolds,
            [nameof(HistoryLineShown)] = historyLineShown,
            [nameof(ReaderGrants)] = readerGrants,
            [nameof(AreasCoveredByGrants)] = areasCoveredByGrants,
            [nameof(AreasCoveredByAnyFunction)] = areasCoveredByAnyFunction,
            [nameof(AreasCoveredBy)] = areasCoveredBy,
        };
    }

    /// <summary>
    /// Whether a rule of the current agreement lets the category reach a type of organisation, within the
    /// category's own restriction: the version in force, then <see cref="RuleLetsRule"/>; with the context a
    /// parameter, the filters' substituted (<see cref="RuleHolds"/>).
    /// </summary>
    internal static readonly Expression<Func<WaypointDbContext, SharingRule, string, OrganisationType, bool>> RuleHoldsRule;

    /// <summary>
    /// <see cref="RuleHoldsRule"/> without its first condition (the rule's version is the current one): whether a rule of
    /// whichever version holds it lets the category reach a type of organisation, within the category's own restriction.
    /// What <see cref="AgreementPairs"/> reads for one version by its id.
    /// </summary>
    internal static readonly Expression<Func<WaypointDbContext, SharingRule, string, OrganisationType, bool>> RuleLetsRule = (db, s, category, readerType) =>
        s.CategoryCode == category && s.ReaderType == readerType
        // A category's own restriction (police intelligence: police only) wins over any version of the agreement.
        && db.Set<RecordCategory>().Any(c => c.Code == s.CategoryCode && (c.RestrictedTo == null || c.RestrictedTo == readerType));

    static SharedPredicates()
    {
        // The rule's version in force, then RuleLetsRule: written once, the two read the same conditions.
        Expression<Func<SharingRule, bool>> current = s => s.AgreementVersion!.IsCurrent;
        var inForce = new Substitution(new Dictionary<Expression, Expression> { [current.Parameters[0]] = RuleLetsRule.Parameters[1] }).Visit(current.Body)!;
        RuleHoldsRule = Expression.Lambda<Func<WaypointDbContext, SharingRule, string, OrganisationType, bool>>(
            Expression.AndAlso(inForce, RuleLetsRule.Body), RuleLetsRule.Parameters);
    }

    /// <summary>The rules of any version letting their own category reach a type of organisation (<see cref="RuleLetsRule"/>), for a query made at run time.</summary>
    public static Expression<Func<SharingRule, bool>> RuleLetsOwnCategory(WaypointDbContext db, OrganisationType readerType)
    {
        Expression<Func<WaypointDbContext>> context = () => db;
        Expression<Func<OrganisationType>> reader = () => readerType;
        var rule = Expression.Parameter(typeof(SharingRule), "s");
        var body = new Substitution(new Dictionary<Expression, Expression>
        {
            [RuleLetsRule.Parameters[0]] = context.Body,
            [RuleLetsRule.Parameters[1]] = rule,
            [RuleLetsRule.Parameters[2]] = Expression.Property(rule, nameof(SharingRule.CategoryCode)),
            [RuleLetsRule.Parameters[3]] = reader.Body,
        }).Visit(RuleLetsRule.Body)!;
        return Expression.Lambda<Func<SharingRule, bool>>(body, rule);
    }

    /// <summary>A rule with its context parameter replaced by <paramref name="context"/>: a lambda over the rest.</summary>
    private static LambdaExpression WithContext(LambdaExpression rule, Expression context) =>
        Expression.Lambda(new Substitution(new Dictionary<Expression, Expression> { [rule.Parameters[0]] = context }).Visit(rule.Body)!, rule.Parameters.Skip(1));

    /// <summary>Whether a relationship dated from <paramref name="start"/> to <paramref name="end"/> (open-ended when null) holds today.</summary>
    public static bool IsCurrent(DateOnly start, DateOnly? end) => throw Marker();

    /// <summary>Whether a rule of the current agreement lets the category reach a type of organisation, within the category's restriction.</summary>
    public static bool RuleHolds(SharingRule rule, string category, OrganisationType readerType) => throw Marker();

    /// <summary>Whether the current agreement lets a category flow from an owner's organisation type to the reader's.</summary>
    public static bool Flows(string category, OrganisationType ownerType) => throw Marker();

    /// <summary>Whether the reader may see the person (the Person filter).</summary>
    public static bool PersonVisible(Guid personId) => throw Marker();

    /// <summary>
    /// <see cref="PersonAccess.CaseRule"/> over a case whose child the reader may see: every case when <paramref name="all"/>
    /// (the hub's area rule), else led by the reader's organisation or with a current involvement of it sourced from the case.
    /// </summary>
    public static bool CaseRuleHolds(Case @case, bool all) => throw Marker();

    /// <summary>Whether the reader may see the case (the Case filter).</summary>
    public static bool CaseVisible(Guid caseId) => throw Marker();

    /// <summary>Whether a line of a visible case's history is shown (legacy lines naming a note's category are not).</summary>
    public static bool HistoryLineShown(string text) => throw Marker();

    /// <summary>The reader's current partnership grants.</summary>
    private static IQueryable<PartnershipRoleGrant> ReaderGrants() => throw Marker();

    /// <summary>The ids of the areas a set of grants covers: each grant's area, its children and grandchildren (the one cover rule).</summary>
    private static IQueryable<Guid> AreasCoveredByGrants(IQueryable<PartnershipRoleGrant> grants) => throw Marker();

    /// <summary>The ids of the areas the reader's current partnership functions cover.</summary>
    public static IQueryable<Guid> AreasCoveredByAnyFunction() => throw Marker();

    /// <summary>The ids of the areas the reader's current grants of one function cover.</summary>
    public static IQueryable<Guid> AreasCoveredBy(PartnershipFunction function) => throw Marker();

    /// <summary>A filter with every marker call replaced by the predicate it names.</summary>
    public Expression<Func<T, bool>> Expand<T>(Expression<Func<T, bool>> filter) =>
        (Expression<Func<T, bool>>)new Expander(bodies).Visit(filter);

    /// <summary>The agreement's rules letting a category reach a type of organisation, for queries made at run time.</summary>
    public static Expression<Func<SharingRule, bool>> RuleLets(WaypointDbContext db, string category, OrganisationType readerType)
    {
        var rules = new SharedPredicates(db);
        return rules.Expand<SharingRule>(s => RuleHolds(s, category, readerType));
    }

    private static InvalidOperationException Marker() =>
        new("An access-policy marker was run instead of being expanded into a query filter (SharedPredicates.Expand).");

    private sealed class Expander(IReadOnlyDictionary<string, LambdaExpression> bodies) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(SharedPredicates) || !bodies.TryGetValue(node.Method.Name, out var body))
                return base.VisitMethodCall(node);
            var arguments = node.Arguments.Select(Visit).ToList();
            var replacements = body.Parameters.Zip(arguments).ToDictionary(p => (Expression)p.First, p => p.Second!);
            // The predicate's body may name other markers: expand those too.
            return Visit(new Substitution(replacements).Visit(body.Body));
        }
    }

    private sealed class Substitution(IReadOnlyDictionary<Expression, Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            replacements.TryGetValue(node, out var replacement) ? replacement : node;
    }
}
