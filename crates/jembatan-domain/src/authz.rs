//! The one place that decides who may do what: [`can`].
//!
//! Handlers describe the actor, the action and the resource and ask; they
//! never look at roles themselves. Rules are written per action so a reader
//! can check one action's policy in one place.

use crate::aspiration::{ReportRef, ReporterMode};
use crate::content::{ContentRef, ContentStatus, check_targets};
use crate::ids::{OrgId, UserId};
use crate::organisation::{OrgKind, OrgRef};
use crate::region::{RegionCode, RegionLevel};
use crate::role::{Grant, Role, Scope};

/// Who is asking: an anonymous visitor or an account with its grants.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user: Option<UserId>,
    pub grants: Vec<Grant>,
}

impl Actor {
    /// A visitor who is not logged in.
    pub fn anonymous() -> Self {
        Actor::default()
    }

    /// A logged-in account with its current grants.
    pub fn user(id: UserId, grants: Vec<Grant>) -> Self {
        Actor { user: Some(id), grants }
    }

    fn holds(&self, role: Role) -> impl Iterator<Item = &Scope> {
        self.grants.iter().filter(move |g| g.role == role).map(|g| &g.scope)
    }

    /// True when a region-scoped grant of `role` covers `region`.
    fn covers_region(&self, role: Role, region: &RegionCode) -> bool {
        self.holds(role).any(|s| matches!(s, Scope::Region(r) if r.contains(region)))
    }

    /// True when the actor holds `role` for organisation `org`.
    fn holds_for_org(&self, role: Role, org: OrgId) -> bool {
        self.holds(role).any(|s| s.is_organisation(org))
    }

    /// Province admin or regency officer whose region covers `region`.
    fn administers(&self, region: &RegionCode) -> bool {
        self.covers_region(Role::ProvinceAdmin, region) || self.covers_region(Role::RegencyOfficer, region)
    }

    /// Publishes content for `org` without anyone's review: a KIM's
    /// managers, an agency's officers, the regency officers for their
    /// Diskominfo office, a province admin for everyone in the province.
    /// Bodies without accounts publish nothing.
    fn publishes_for(&self, org: &OrgRef) -> bool {
        match org.kind {
            OrgKind::Body => false,
            _ if self.covers_region(Role::ProvinceAdmin, &org.region) => true,
            OrgKind::Kim => self.holds_for_org(Role::KimManager, org.id),
            OrgKind::Agency => self.holds_for_org(Role::AgencyOfficer, org.id),
            OrgKind::Diskominfo => self.covers_region(Role::RegencyOfficer, &org.region),
        }
    }

    /// Writes content for `org`: its publishers and a KIM's contributors.
    fn writes_for(&self, org: &OrgRef) -> bool {
        self.publishes_for(org) || (org.kind == OrgKind::Kim && self.holds_for_org(Role::KimContributor, org.id))
    }

    /// The actor wrote this item.
    fn wrote(&self, content: &ContentRef) -> bool {
        self.user.is_some() && content.author == self.user
    }

    /// Verifies reports filed in `region`: a regency officer whose regency
    /// covers it, a province admin.
    fn verifies_reports_in(&self, region: &RegionCode) -> bool {
        self.administers(region)
    }

    /// Serves the agency a report was dispatched to.
    fn serves_assigned_agency(&self, report: &ReportRef) -> bool {
        report
            .assigned
            .as_ref()
            .is_some_and(|org| org.kind == OrgKind::Agency && self.holds_for_org(Role::AgencyOfficer, org.id))
    }

    /// Whether the actor has any role beyond citizen.
    pub fn is_privileged(&self) -> bool {
        self.grants.iter().any(|g| g.role != Role::Citizen)
    }
}

/// What the actor wants to do. The resource says to what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read a public page or API resource.
    ViewPublic,
    /// Use one's own account pages (profile, password, tokens, data export).
    UseOwnAccount,
    /// Open the administration area.
    OpenAdmin,
    /// Grant a role; the resource is the [`Scope`] it would be granted in.
    GrantRole(Role),
    /// Revoke a role; the resource is the grant's scope.
    RevokeRole(Role),
    /// Read the audit log of a region.
    ViewAudit,
    /// Reset another account's password in person; the resource is the user.
    ResetMemberPassword,
    /// Create an organisation of a kind in a region (not a KIM).
    CreateOrganisation(OrgKind),
    /// Edit an organisation's profile.
    EditOrganisation,
    /// Register a KIM for a village.
    RegisterKim,
    /// Mark a KIM verified by its regency.
    VerifyKim,
    /// Manage a KIM's roster of members and officers.
    ManageKimMembers,
    /// See a KIM's non-public details (members' contacts, SK documents).
    ViewKimPrivate,
    /// Change a KIM's lifecycle status (dibentuk, terdaftar, aktif, vakum).
    /// Kept apart from editing so a KIM's own managers cannot register it.
    SetKimStatus,
    /// List the roles granted within a region (the admin's grants page).
    ViewGrants,
    /// Open one section of the administration area; what the section lists
    /// is narrowed to the actor's scope, and each thing in it is checked
    /// with its own action.
    OpenAdminSection(AdminSection),
    /// Write a new item for an organisation (the resource).
    CreateContent,
    /// Change an item's text and fields: its author while it is a draft,
    /// its organisation's publishers until it is archived.
    EditContent,
    /// Hand a draft to the reviewers.
    SubmitContent,
    /// Publish an item now or at a set time.
    PublishContent,
    /// Send an item under review back to its author with a comment.
    ReturnContent,
    /// Take an item down as moderation, with a reason (a regency officer
    /// within the regency, a province admin).
    UnpublishContent,
    /// Retire an item of one's own organisation.
    ArchiveContent,
    /// Bring an archived item back to draft.
    RestoreContent,
    /// Add a correction (ralat), shown publicly with its date.
    CorrectContent,
    /// Comment on an item (reviewers and its author).
    CommentContent,
    /// See what is not public about an item: unpublished text, revisions,
    /// comments.
    ViewContentPrivate,
    /// Open the reviewer's queue; what it lists is [`review_scope`].
    ReviewContent,
    /// Create and edit the managed list of topics.
    ManageTopics,
    /// File an aspiration, complaint or information request (anyone, with
    /// or without an account).
    FileReport,
    /// File a report on a neighbour's behalf as a KIM (the resource): its
    /// managers and contributors.
    FileReportForKim,
    /// Read a report's public tracking page: whoever holds its tracking number.
    TrackReport,
    /// Open the aspirations queue; what it lists is [`report_queue_scope`].
    ReviewReports,
    /// See a report in full as an officer: its text, attachments, private
    /// notes (the regency's verifiers, the agency it was dispatched to).
    ViewReportCase,
    /// See who filed a report. An anonymous reporter is visible only to the
    /// regency's verifiers (each view audited); otherwise also to the
    /// agency the case was dispatched to.
    ViewReporterIdentity,
    /// Verify, dispatch, put on hold, resume, declare not our authority,
    /// archive, set the region: the regency's Diskominfo officers (Admin
    /// Koordinator) within the regency, a province admin anywhere.
    VerifyReport,
    /// Take up, answer, or return a dispatched case: the officers of the
    /// agency it was dispatched to (Admin Penghubung), a province admin.
    FollowUpReport,
    /// Maintain the holiday calendar deadlines count working days against
    /// (the resource is the province): its admins.
    ManageHolidays,
    /// Move an information request's answer deadline once by 7 working
    /// days, with notice (UU 14/2008): whoever verifies or follows it up.
    ExtendInformationRequest,
}

/// The sections of the administration area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminSection {
    /// KIMs: the regency's registry, a manager's own KIM.
    Kims,
    /// Offices, agencies and bodies without accounts.
    Organisations,
    /// Role grants.
    Roles,
    /// The audit log.
    Audit,
    /// Citizens' reports: the regency's verifiers, agencies' liaison officers.
    Reports,
    /// The holiday calendar: province admins.
    Holidays,
}

/// What the action is aimed at.
#[derive(Debug, Clone)]
pub enum Resource<'a> {
    /// Nothing in particular (public pages, one's own account).
    Platform,
    /// A region (where something is created, whose log is read).
    Region(&'a RegionCode),
    /// An organisation.
    Organisation(&'a OrgRef),
    /// A scope a role would be granted or revoked in.
    Scope(&'a Scope),
    /// Another account.
    User(&'a UserTarget),
    /// A content item.
    Content(&'a ContentRef),
    /// A citizen's report.
    Report(&'a ReportRef),
}

/// What authorization needs to know about another account.
#[derive(Debug, Clone)]
pub struct UserTarget {
    pub id: UserId,
    pub grants: Vec<Grant>,
    /// The KIMs whose roster lists this account.
    pub kim_memberships: Vec<OrgRef>,
}

/// Decides whether `actor` may do `action` to `resource`.
pub fn can(actor: &Actor, action: Action, resource: &Resource<'_>) -> bool {
    let logged_in = actor.user.is_some();
    match (action, resource) {
        // Only published items are public; the rest is for those who work on them.
        (Action::ViewPublic, Resource::Content(content)) => {
            content.status == ContentStatus::Published || can(actor, Action::ViewContentPrivate, resource)
        }
        (Action::ViewPublic, _) => true,
        (Action::UseOwnAccount, Resource::Platform) => logged_in,
        (Action::OpenAdmin, Resource::Platform) => logged_in && actor.is_privileged(),
        (Action::GrantRole(role) | Action::RevokeRole(role), Resource::Scope(scope)) => {
            logged_in && role != Role::Citizen && role.accepts(scope) && may_delegate(actor, role, scope)
        }
        (Action::ViewAudit, Resource::Region(region)) => actor.administers(region),
        (Action::ResetMemberPassword, Resource::User(target)) => {
            logged_in && actor.user != Some(target.id) && may_reset_password(actor, target)
        }
        (Action::CreateOrganisation(kind), Resource::Region(region)) => match kind {
            OrgKind::Kim => false, // KIMs are registered with Action::RegisterKim.
            OrgKind::Diskominfo => actor.covers_region(Role::ProvinceAdmin, region),
            OrgKind::Agency | OrgKind::Body => actor.administers(region),
        },
        (Action::EditOrganisation, Resource::Organisation(org)) => {
            actor.administers(&org.region)
                || (org.kind == OrgKind::Kim && actor.holds_for_org(Role::KimManager, org.id))
                || (org.kind == OrgKind::Agency && actor.holds_for_org(Role::AgencyOfficer, org.id))
        }
        (Action::RegisterKim, Resource::Region(village)) => actor.administers(village),
        (Action::VerifyKim | Action::SetKimStatus, Resource::Organisation(org)) => {
            org.kind == OrgKind::Kim && actor.administers(&org.region)
        }
        (Action::ViewGrants, Resource::Region(region)) => actor.administers(region),
        (Action::OpenAdminSection(section), Resource::Platform) => {
            let administers_somewhere = !administered_regions(actor).is_empty();
            let manages_a_kim = actor.holds(Role::KimManager).any(|s| s.organisation().is_some());
            let serves_an_agency = actor.holds(Role::AgencyOfficer).any(|s| s.organisation().is_some());
            logged_in
                && match section {
                    AdminSection::Kims | AdminSection::Roles => administers_somewhere || manages_a_kim,
                    AdminSection::Organisations => administers_somewhere || serves_an_agency,
                    AdminSection::Audit => administers_somewhere,
                    AdminSection::Reports => !report_queue_scope(actor).is_empty(),
                    AdminSection::Holidays => actor.holds(Role::ProvinceAdmin).next().is_some(),
                }
        }
        (Action::ManageKimMembers | Action::ViewKimPrivate, Resource::Organisation(org)) => {
            org.kind == OrgKind::Kim
                && (actor.administers(&org.region) || actor.holds_for_org(Role::KimManager, org.id))
        }
        (Action::CreateContent, Resource::Organisation(org)) => actor.writes_for(org),
        (Action::EditContent, Resource::Content(c)) => {
            c.status != ContentStatus::Archived
                && (actor.publishes_for(&c.org)
                    || (actor.wrote(c) && c.status == ContentStatus::Draft && actor.writes_for(&c.org)))
        }
        (Action::SubmitContent, Resource::Content(c)) => {
            actor.writes_for(&c.org) && (actor.wrote(c) || actor.publishes_for(&c.org))
        }
        (Action::PublishContent, Resource::Content(c)) => {
            actor.publishes_for(&c.org) && check_targets(&c.org, &c.regions).is_ok()
        }
        (Action::ReturnContent | Action::CorrectContent, Resource::Content(c)) => actor.publishes_for(&c.org),
        (Action::UnpublishContent, Resource::Content(c)) => logged_in && actor.administers(&c.org.region),
        (Action::ArchiveContent, Resource::Content(c)) => {
            actor.publishes_for(&c.org) || (logged_in && actor.administers(&c.org.region))
        }
        (Action::RestoreContent, Resource::Content(c)) => {
            if c.moderated {
                logged_in && actor.administers(&c.org.region)
            } else {
                actor.publishes_for(&c.org)
            }
        }
        (Action::CommentContent, Resource::Content(c)) => {
            actor.publishes_for(&c.org) || (actor.wrote(c) && actor.writes_for(&c.org))
        }
        (Action::ViewContentPrivate, Resource::Content(c)) => {
            actor.publishes_for(&c.org) || actor.wrote(c) || (logged_in && actor.administers(&c.org.region))
        }
        (Action::ReviewContent, Resource::Platform) => logged_in && !review_scope(actor).is_empty(),
        (Action::ManageTopics, Resource::Platform) => logged_in && actor.holds(Role::ProvinceAdmin).next().is_some(),
        (Action::FileReport | Action::TrackReport, Resource::Platform) => true,
        (Action::ExtendInformationRequest, Resource::Report(r)) => {
            actor.verifies_reports_in(&r.region) || actor.serves_assigned_agency(r)
        }
        (Action::ManageHolidays, Resource::Region(province)) => {
            province.level() == RegionLevel::Province && actor.covers_region(Role::ProvinceAdmin, province)
        }
        (Action::ReviewReports, Resource::Platform) => logged_in && !report_queue_scope(actor).is_empty(),
        (Action::VerifyReport, Resource::Report(r)) => actor.verifies_reports_in(&r.region),
        (Action::FollowUpReport, Resource::Report(r)) => {
            actor.covers_region(Role::ProvinceAdmin, &r.region) || actor.serves_assigned_agency(r)
        }
        (Action::ViewReportCase, Resource::Report(r)) => {
            actor.verifies_reports_in(&r.region) || actor.serves_assigned_agency(r)
        }
        (Action::ViewReporterIdentity, Resource::Report(r)) => match r.mode {
            ReporterMode::Anonymous => actor.covers_region(Role::RegencyOfficer, &r.region),
            ReporterMode::Named | ReporterMode::Confidential => {
                actor.verifies_reports_in(&r.region) || actor.serves_assigned_agency(r)
            }
        },
        (Action::FileReportForKim, Resource::Organisation(org)) => {
            org.kind == OrgKind::Kim
                && (actor.holds_for_org(Role::KimManager, org.id) || actor.holds_for_org(Role::KimContributor, org.id))
        }
        _ => false,
    }
}

/// Whose submitted items a reviewer may publish: what the reviewer's queue
/// lists. It agrees with [`Action::PublishContent`] (checked by a test).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewScope {
    /// KIMs the actor manages and agencies the actor serves.
    pub orgs: Vec<OrgId>,
    /// Regions whose Diskominfo offices' items the actor reviews (a regency officer's regency).
    pub diskominfo_within: Vec<RegionCode>,
    /// Regions whose organisations' items the actor reviews, all kinds (a province admin's province).
    pub within: Vec<RegionCode>,
}

impl ReviewScope {
    /// Nothing to review.
    pub fn is_empty(&self) -> bool {
        self.orgs.is_empty() && self.diskominfo_within.is_empty() && self.within.is_empty()
    }

    /// Whether items of `org` fall in the scope.
    pub fn covers(&self, org: &OrgRef) -> bool {
        org.kind != OrgKind::Body
            && (self.orgs.contains(&org.id)
                || self.within.iter().any(|r| r.contains(&org.region))
                || (org.kind == OrgKind::Diskominfo && self.diskominfo_within.iter().any(|r| r.contains(&org.region))))
    }
}

/// The organisations whose content `actor` publishes, as a filter for the
/// reviewer's queue.
pub fn review_scope(actor: &Actor) -> ReviewScope {
    let mut scope = ReviewScope::default();
    for grant in &actor.grants {
        match (grant.role, &grant.scope) {
            (Role::ProvinceAdmin, Scope::Region(r)) => scope.within.push(r.clone()),
            (Role::RegencyOfficer, Scope::Region(r)) => scope.diskominfo_within.push(r.clone()),
            (Role::KimManager, Scope::Organisation(o)) if o.kind == OrgKind::Kim => scope.orgs.push(o.id),
            (Role::AgencyOfficer, Scope::Organisation(o)) if o.kind == OrgKind::Agency => scope.orgs.push(o.id),
            _ => {}
        }
    }
    scope
}

/// Whose reports an officer's queue lists; agrees with
/// [`Action::ViewReportCase`] (checked by a test).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportQueueScope {
    /// Regions whose reports the actor verifies (a regency, the province).
    pub verifies_within: Vec<RegionCode>,
    /// Agencies whose dispatched cases the actor follows up.
    pub agencies: Vec<OrgId>,
}

impl ReportQueueScope {
    pub fn is_empty(&self) -> bool {
        self.verifies_within.is_empty() && self.agencies.is_empty()
    }
}

/// The reports `actor` works on, as a filter for the aspirations queue.
pub fn report_queue_scope(actor: &Actor) -> ReportQueueScope {
    let mut scope = ReportQueueScope::default();
    for grant in &actor.grants {
        match (grant.role, &grant.scope) {
            (Role::ProvinceAdmin | Role::RegencyOfficer, Scope::Region(r)) => scope.verifies_within.push(r.clone()),
            (Role::AgencyOfficer, Scope::Organisation(o)) if o.kind == OrgKind::Agency => scope.agencies.push(o.id),
            _ => {}
        }
    }
    scope
}

/// Who may hand out `role` in `scope`: a province admin anything in the
/// province; a regency officer the roles below it within the regency; a KIM
/// manager contributors of the KIM.
fn may_delegate(actor: &Actor, role: Role, scope: &Scope) -> bool {
    let region = scope.region();
    if actor.covers_region(Role::ProvinceAdmin, region) {
        return true;
    }
    let below_regency =
        matches!(role, Role::AgencyOfficer | Role::KimManager | Role::KimContributor | Role::FactChecker);
    if below_regency && actor.covers_region(Role::RegencyOfficer, region) {
        return true;
    }
    role == Role::KimContributor
        && matches!(scope, Scope::Organisation(o) if actor.holds_for_org(Role::KimManager, o.id))
}

/// A KIM manager may reset the password of a member of the KIM; a regency
/// officer of a member of any KIM in the regency; a province admin of any
/// account in the province. Accounts with roles beyond KIM contributor are
/// left to a province admin, so a password reset never lets anyone take over
/// a more powerful account.
fn may_reset_password(actor: &Actor, target: &UserTarget) -> bool {
    let target_is_plain = target.grants.iter().all(|g| matches!(g.role, Role::KimContributor | Role::Citizen));
    let province_admin_over_target = actor.holds(Role::ProvinceAdmin).any(|admin_scope| {
        let province = admin_scope.region();
        target.grants.iter().all(|g| province.contains(g.scope.region()))
            && target.kim_memberships.iter().all(|k| province.contains(&k.region))
    });
    if province_admin_over_target {
        return true;
    }
    target_is_plain
        && target.kim_memberships.iter().any(|kim| {
            actor.covers_region(Role::RegencyOfficer, &kim.region) || actor.holds_for_org(Role::KimManager, kim.id)
        })
}

/// The region a role's holder administers, if the role is region-scoped at
/// regency level or above; used to narrow admin lists to one's own scope.
pub fn administered_regions(actor: &Actor) -> Vec<RegionCode> {
    actor
        .grants
        .iter()
        .filter(|g| matches!(g.role, Role::ProvinceAdmin | Role::RegencyOfficer))
        .filter_map(|g| match &g.scope {
            Scope::Region(r) if r.level() <= RegionLevel::Regency => Some(r.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::GrantId;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    fn org(kind: OrgKind, region: &str) -> OrgRef {
        OrgRef { id: OrgId::generate(), kind, region: code(region) }
    }

    fn actor(grants: Vec<(Role, Scope)>) -> Actor {
        Actor::user(
            UserId::generate(),
            grants.into_iter().map(|(role, scope)| Grant { id: GrantId::generate(), role, scope }).collect(),
        )
    }

    fn region(s: &str) -> Scope {
        Scope::Region(code(s))
    }

    fn report(mode: ReporterMode, region: &str, assigned: Option<OrgRef>) -> ReportRef {
        ReportRef {
            id: crate::aspiration::ReportId::generate(),
            status: crate::aspiration::ReportStatus::Didisposisikan,
            mode,
            region: code(region),
            assigned,
        }
    }

    #[test]
    fn the_regency_verifies_the_agency_follows_up_and_anonymity_holds_before_the_agency() {
        let dinkes = org(OrgKind::Agency, "35.23");
        let other_agency = org(OrgKind::Agency, "35.23");
        let tuban = actor(vec![(Role::RegencyOfficer, region("35.23"))]);
        let malang = actor(vec![(Role::RegencyOfficer, region("35.07"))]);
        let province = actor(vec![(Role::ProvinceAdmin, region("35"))]);
        let officer = actor(vec![(Role::AgencyOfficer, Scope::Organisation(dinkes.clone()))]);
        let elsewhere = actor(vec![(Role::AgencyOfficer, Scope::Organisation(other_agency))]);
        let named = report(ReporterMode::Named, "35.23.01.2001", Some(dinkes.clone()));
        let anonymous = report(ReporterMode::Anonymous, "35.23.01.2001", Some(dinkes));

        assert!(can(&tuban, Action::VerifyReport, &Resource::Report(&named)));
        assert!(can(&province, Action::VerifyReport, &Resource::Report(&named)));
        assert!(!can(&malang, Action::VerifyReport, &Resource::Report(&named)));
        assert!(!can(&officer, Action::VerifyReport, &Resource::Report(&named)));

        assert!(can(&officer, Action::FollowUpReport, &Resource::Report(&named)));
        assert!(!can(&elsewhere, Action::FollowUpReport, &Resource::Report(&named)));
        assert!(!can(&tuban, Action::FollowUpReport, &Resource::Report(&named)));

        assert!(can(&officer, Action::ViewReporterIdentity, &Resource::Report(&named)));
        assert!(!can(&officer, Action::ViewReporterIdentity, &Resource::Report(&anonymous)), "hidden from the agency");
        assert!(can(&tuban, Action::ViewReporterIdentity, &Resource::Report(&anonymous)));
        assert!(
            !can(&province, Action::ViewReporterIdentity, &Resource::Report(&anonymous)),
            "only the regency's verifiers"
        );
        assert!(!can(&Actor::anonymous(), Action::ViewReportCase, &Resource::Report(&named)));
        assert!(!can(&elsewhere, Action::ViewReportCase, &Resource::Report(&named)));

        // The queue lists what the case page lets one see.
        assert!(report_queue_scope(&tuban).verifies_within == vec![code("35.23")]);
        assert!(can(&officer, Action::ReviewReports, &Resource::Platform));
        assert!(!can(&actor(vec![]), Action::ReviewReports, &Resource::Platform));
    }

    #[test]
    fn anyone_files_reports_and_only_a_kims_members_file_for_it() {
        let kim_a = org(OrgKind::Kim, "35.23.01.2001");
        let kim_b = org(OrgKind::Kim, "35.07.01.2001");
        assert!(can(&Actor::anonymous(), Action::FileReport, &Resource::Platform));
        assert!(can(&Actor::anonymous(), Action::TrackReport, &Resource::Platform));
        let contributor = actor(vec![(Role::KimContributor, Scope::Organisation(kim_a.clone()))]);
        let manager = actor(vec![(Role::KimManager, Scope::Organisation(kim_a.clone()))]);
        let regency = actor(vec![(Role::RegencyOfficer, region("35.23"))]);
        for member in [&contributor, &manager] {
            assert!(can(member, Action::FileReportForKim, &Resource::Organisation(&kim_a)));
            assert!(!can(member, Action::FileReportForKim, &Resource::Organisation(&kim_b)));
        }
        assert!(!can(&regency, Action::FileReportForKim, &Resource::Organisation(&kim_a)));
        assert!(!can(&Actor::anonymous(), Action::FileReportForKim, &Resource::Organisation(&kim_a)));
    }

    #[test]
    fn anonymous_may_only_view() {
        let anon = Actor::anonymous();
        assert!(can(&anon, Action::ViewPublic, &Resource::Platform));
        assert!(!can(&anon, Action::UseOwnAccount, &Resource::Platform));
        assert!(!can(&anon, Action::OpenAdmin, &Resource::Platform));
        assert!(!can(&anon, Action::RegisterKim, &Resource::Region(&code("35.23.01.2001"))));
    }

    #[test]
    fn citizen_has_an_account_but_no_admin() {
        let citizen = actor(vec![]);
        assert!(can(&citizen, Action::UseOwnAccount, &Resource::Platform));
        assert!(!can(&citizen, Action::OpenAdmin, &Resource::Platform));
    }

    #[test]
    fn regency_officer_is_bound_to_the_regency() {
        let tuban = actor(vec![(Role::RegencyOfficer, region("35.23"))]);
        let kim_in_tuban = org(OrgKind::Kim, "35.23.01.2001");
        let kim_in_malang = org(OrgKind::Kim, "35.07.01.2001");
        assert!(can(&tuban, Action::RegisterKim, &Resource::Region(&code("35.23.01.2001"))));
        assert!(!can(&tuban, Action::RegisterKim, &Resource::Region(&code("35.07.01.2001"))));
        assert!(can(&tuban, Action::VerifyKim, &Resource::Organisation(&kim_in_tuban)));
        assert!(!can(&tuban, Action::VerifyKim, &Resource::Organisation(&kim_in_malang)));
        assert!(can(&tuban, Action::ViewAudit, &Resource::Region(&code("35.23"))));
        assert!(!can(&tuban, Action::ViewAudit, &Resource::Region(&code("35"))));
        let manager_here = Scope::Organisation(kim_in_tuban.clone());
        assert!(can(&tuban, Action::GrantRole(Role::KimManager), &Resource::Scope(&manager_here)));
        assert!(!can(&tuban, Action::GrantRole(Role::RegencyOfficer), &Resource::Scope(&region("35.23"))));
        assert!(!can(&tuban, Action::GrantRole(Role::ProvinceAdmin), &Resource::Scope(&region("35"))));
        assert!(!can(&tuban, Action::CreateOrganisation(OrgKind::Diskominfo), &Resource::Region(&code("35.23"))));
        assert!(can(&tuban, Action::CreateOrganisation(OrgKind::Agency), &Resource::Region(&code("35.23"))));
    }

    #[test]
    fn province_admin_covers_the_province_only() {
        let admin = actor(vec![(Role::ProvinceAdmin, region("35"))]);
        assert!(can(&admin, Action::GrantRole(Role::RegencyOfficer), &Resource::Scope(&region("35.23"))));
        assert!(!can(&admin, Action::GrantRole(Role::RegencyOfficer), &Resource::Scope(&region("36.01"))));
        assert!(can(&admin, Action::ViewAudit, &Resource::Region(&code("35"))));
        assert!(can(&admin, Action::CreateOrganisation(OrgKind::Diskominfo), &Resource::Region(&code("35.23"))));
    }

    #[test]
    fn grants_must_fit_the_role() {
        let admin = actor(vec![(Role::ProvinceAdmin, region("35"))]);
        let kim = Scope::Organisation(org(OrgKind::Kim, "35.23.01.2001"));
        assert!(!can(&admin, Action::GrantRole(Role::RegencyOfficer), &Resource::Scope(&kim)));
        assert!(!can(&admin, Action::GrantRole(Role::ProvinceAdmin), &Resource::Scope(&region("35.23"))));
        assert!(!can(&admin, Action::GrantRole(Role::Citizen), &Resource::Scope(&region("35"))));
        assert!(!can(&admin, Action::GrantRole(Role::AgencyOfficer), &Resource::Scope(&kim)));
    }

    #[test]
    fn kim_manager_manages_own_kim_and_grants_contributors_only() {
        let kim = org(OrgKind::Kim, "35.23.01.2001");
        let other = org(OrgKind::Kim, "35.23.01.2002");
        let manager = actor(vec![(Role::KimManager, Scope::Organisation(kim.clone()))]);
        assert!(can(&manager, Action::ManageKimMembers, &Resource::Organisation(&kim)));
        assert!(!can(&manager, Action::ManageKimMembers, &Resource::Organisation(&other)));
        assert!(can(&manager, Action::EditOrganisation, &Resource::Organisation(&kim)));
        assert!(!can(&manager, Action::VerifyKim, &Resource::Organisation(&kim)));
        let here = Scope::Organisation(kim.clone());
        assert!(can(&manager, Action::GrantRole(Role::KimContributor), &Resource::Scope(&here)));
        assert!(!can(&manager, Action::GrantRole(Role::KimManager), &Resource::Scope(&here)));
        assert!(!can(&manager, Action::GrantRole(Role::KimContributor), &Resource::Scope(&Scope::Organisation(other))));
    }

    #[test]
    fn password_resets_never_reach_more_powerful_accounts() {
        let kim = org(OrgKind::Kim, "35.23.01.2001");
        let manager = actor(vec![(Role::KimManager, Scope::Organisation(kim.clone()))]);
        let officer = actor(vec![(Role::RegencyOfficer, region("35.23"))]);
        let malang_officer = actor(vec![(Role::RegencyOfficer, region("35.07"))]);
        let member = UserTarget { id: UserId::generate(), grants: vec![], kim_memberships: vec![kim.clone()] };
        assert!(can(&manager, Action::ResetMemberPassword, &Resource::User(&member)));
        assert!(can(&officer, Action::ResetMemberPassword, &Resource::User(&member)));
        assert!(!can(&malang_officer, Action::ResetMemberPassword, &Resource::User(&member)));

        let fellow_manager = UserTarget {
            id: UserId::generate(),
            grants: vec![Grant {
                id: GrantId::generate(),
                role: Role::KimManager,
                scope: Scope::Organisation(kim.clone()),
            }],
            kim_memberships: vec![kim.clone()],
        };
        assert!(!can(&manager, Action::ResetMemberPassword, &Resource::User(&fellow_manager)));
        assert!(!can(&officer, Action::ResetMemberPassword, &Resource::User(&fellow_manager)));
        let admin = actor(vec![(Role::ProvinceAdmin, region("35"))]);
        assert!(can(&admin, Action::ResetMemberPassword, &Resource::User(&fellow_manager)));

        let stranger = UserTarget { id: UserId::generate(), grants: vec![], kim_memberships: vec![] };
        assert!(!can(&manager, Action::ResetMemberPassword, &Resource::User(&stranger)));
        let own = UserTarget { id: manager.user.unwrap(), grants: vec![], kim_memberships: vec![kim] };
        assert!(!can(&manager, Action::ResetMemberPassword, &Resource::User(&own)));
    }

    #[test]
    fn only_the_regency_sets_a_kim_status_and_lists_grants() {
        let kim = org(OrgKind::Kim, "35.23.01.2001");
        let manager = actor(vec![(Role::KimManager, Scope::Organisation(kim.clone()))]);
        let tuban = actor(vec![(Role::RegencyOfficer, region("35.23"))]);
        let malang = actor(vec![(Role::RegencyOfficer, region("35.07"))]);
        assert!(can(&tuban, Action::SetKimStatus, &Resource::Organisation(&kim)));
        assert!(!can(&malang, Action::SetKimStatus, &Resource::Organisation(&kim)));
        assert!(!can(&manager, Action::SetKimStatus, &Resource::Organisation(&kim)));
        assert!(can(&tuban, Action::ViewGrants, &Resource::Region(&code("35.23"))));
        assert!(!can(&tuban, Action::ViewGrants, &Resource::Region(&code("35"))));
        assert!(!can(&manager, Action::ViewGrants, &Resource::Region(&code("35.23.01.2001"))));
    }

    #[test]
    fn admin_sections_open_to_those_with_work_there() {
        let kim = org(OrgKind::Kim, "35.23.01.2001");
        let agency = org(OrgKind::Agency, "35.23");
        let section = |a: &Actor, s: AdminSection| can(a, Action::OpenAdminSection(s), &Resource::Platform);
        let all = [AdminSection::Kims, AdminSection::Organisations, AdminSection::Roles, AdminSection::Audit];
        let officer = actor(vec![(Role::RegencyOfficer, region("35.23"))]);
        let admin = actor(vec![(Role::ProvinceAdmin, region("35"))]);
        for s in all {
            assert!(section(&officer, s) && section(&admin, s), "{s:?}");
            assert!(!section(&Actor::anonymous(), s) && !section(&actor(vec![]), s), "{s:?}");
        }
        let manager = actor(vec![(Role::KimManager, Scope::Organisation(kim.clone()))]);
        assert!(section(&manager, AdminSection::Kims) && section(&manager, AdminSection::Roles));
        assert!(!section(&manager, AdminSection::Organisations) && !section(&manager, AdminSection::Audit));
        let agency_officer = actor(vec![(Role::AgencyOfficer, Scope::Organisation(agency))]);
        assert!(section(&agency_officer, AdminSection::Organisations));
        assert!(!section(&agency_officer, AdminSection::Kims) && !section(&agency_officer, AdminSection::Roles));
        let contributor = actor(vec![(Role::KimContributor, Scope::Organisation(kim))]);
        let checker = actor(vec![(Role::FactChecker, region("35"))]);
        for s in all {
            assert!(!section(&contributor, s) && !section(&checker, s), "{s:?}");
        }
        assert!(can(&contributor, Action::OpenAdmin, &Resource::Platform), "privileged, sees the dashboard");
    }

    fn item(org: &OrgRef, author: Option<UserId>, status: ContentStatus) -> ContentRef {
        let regions = vec![org.region.clone()];
        ContentRef {
            id: crate::content::ContentId::generate(),
            org: org.clone(),
            author,
            status,
            regions,
            moderated: false,
        }
    }

    fn allowed(a: &Actor, c: &ContentRef) -> Vec<&'static str> {
        let actions = [
            (Action::EditContent, "edit"),
            (Action::SubmitContent, "submit"),
            (Action::PublishContent, "publish"),
            (Action::ReturnContent, "return"),
            (Action::UnpublishContent, "unpublish"),
            (Action::ArchiveContent, "archive"),
            (Action::RestoreContent, "restore"),
            (Action::CorrectContent, "correct"),
            (Action::CommentContent, "comment"),
            (Action::ViewContentPrivate, "view_private"),
        ];
        actions.into_iter().filter(|(action, _)| can(a, *action, &Resource::Content(c))).map(|(_, n)| n).collect()
    }

    #[test]
    fn kim_contributors_write_and_submit_their_own_drafts() {
        let kim = org(OrgKind::Kim, "35.23.01.2001");
        let other_kim = org(OrgKind::Kim, "35.23.01.2002");
        let contributor = actor(vec![(Role::KimContributor, Scope::Organisation(kim.clone()))]);
        assert!(can(&contributor, Action::CreateContent, &Resource::Organisation(&kim)));
        assert!(!can(&contributor, Action::CreateContent, &Resource::Organisation(&other_kim)));
        let own = item(&kim, contributor.user, ContentStatus::Draft);
        assert_eq!(allowed(&contributor, &own), ["edit", "submit", "comment", "view_private"]);
        let submitted = ContentRef { status: ContentStatus::Submitted, ..own.clone() };
        assert_eq!(allowed(&contributor, &submitted), ["submit", "comment", "view_private"], "no edits under review");
        let someone_elses = item(&kim, Some(UserId::generate()), ContentStatus::Draft);
        assert!(allowed(&contributor, &someone_elses).is_empty());
        assert!(!can(&contributor, Action::ViewPublic, &Resource::Content(&someone_elses)), "drafts are not public");
        assert!(can(&contributor, Action::ViewPublic, &Resource::Content(&own)));
        let published = ContentRef { status: ContentStatus::Published, ..someone_elses };
        assert!(can(&Actor::anonymous(), Action::ViewPublic, &Resource::Content(&published)));
        assert!(!can(&contributor, Action::ReviewContent, &Resource::Platform));
        let former = actor(vec![]);
        let theirs = item(&kim, former.user, ContentStatus::Draft);
        assert_eq!(allowed(&former, &theirs), ["view_private"], "a revoked contributor only sees what they wrote");
    }

    #[test]
    fn kim_managers_review_publish_and_correct_their_kims_content() {
        let kim = org(OrgKind::Kim, "35.23.01.2001");
        let manager = actor(vec![(Role::KimManager, Scope::Organisation(kim.clone()))]);
        let submitted = item(&kim, Some(UserId::generate()), ContentStatus::Submitted);
        assert_eq!(
            allowed(&manager, &submitted),
            ["edit", "submit", "publish", "return", "archive", "restore", "correct", "comment", "view_private"]
        );
        assert!(can(&manager, Action::ReviewContent, &Resource::Platform));
        let elsewhere = item(&org(OrgKind::Kim, "35.23.01.2002"), None, ContentStatus::Submitted);
        assert!(allowed(&manager, &elsewhere).is_empty());
        let too_wide = ContentRef { regions: vec![code("35.23")], ..submitted.clone() };
        assert!(
            !can(&manager, Action::PublishContent, &Resource::Content(&too_wide)),
            "a KIM reaches its district only"
        );
        let archived = ContentRef { status: ContentStatus::Archived, ..submitted.clone() };
        assert!(!can(&manager, Action::EditContent, &Resource::Content(&archived)));
        let moderated = ContentRef { moderated: true, ..archived };
        assert!(
            !can(&manager, Action::RestoreContent, &Resource::Content(&moderated)),
            "moderation is not undone by the KIM"
        );
        assert!(!can(&manager, Action::UnpublishContent, &Resource::Content(&submitted)));
    }

    #[test]
    fn agency_and_diskominfo_officers_publish_their_own_official_content() {
        let agency = org(OrgKind::Agency, "35.23");
        let officer = actor(vec![(Role::AgencyOfficer, Scope::Organisation(agency.clone()))]);
        assert!(can(&officer, Action::CreateContent, &Resource::Organisation(&agency)));
        let own = item(&agency, officer.user, ContentStatus::Draft);
        assert!(can(&officer, Action::PublishContent, &Resource::Content(&own)), "directly, without review");
        let other_agency = org(OrgKind::Agency, "35.23");
        assert!(!can(&officer, Action::CreateContent, &Resource::Organisation(&other_agency)));
        let kim = org(OrgKind::Kim, "35.23.01.2001");
        assert!(allowed(&officer, &item(&kim, None, ContentStatus::Submitted)).is_empty());

        let tuban = actor(vec![(Role::RegencyOfficer, region("35.23"))]);
        let diskominfo_tuban = org(OrgKind::Diskominfo, "35.23");
        let diskominfo_jatim = org(OrgKind::Diskominfo, "35");
        assert!(can(&tuban, Action::CreateContent, &Resource::Organisation(&diskominfo_tuban)));
        assert!(!can(&tuban, Action::CreateContent, &Resource::Organisation(&diskominfo_jatim)));
        assert!(!can(&tuban, Action::CreateContent, &Resource::Organisation(&agency)), "not the agency's voice");
        assert!(!can(&tuban, Action::CreateContent, &Resource::Organisation(&kim)));
        let official = item(&diskominfo_tuban, tuban.user, ContentStatus::Draft);
        assert!(can(&tuban, Action::PublishContent, &Resource::Content(&official)));
        let body = org(OrgKind::Body, "35.23.01.2001");
        let admin = actor(vec![(Role::ProvinceAdmin, region("35"))]);
        assert!(!can(&admin, Action::CreateContent, &Resource::Organisation(&body)), "bodies publish nothing");
    }

    #[test]
    fn regency_officers_unpublish_within_the_regency_and_province_admins_everywhere() {
        let tuban = actor(vec![(Role::RegencyOfficer, region("35.23"))]);
        let admin = actor(vec![(Role::ProvinceAdmin, region("35"))]);
        let kim_item = item(&org(OrgKind::Kim, "35.23.01.2001"), None, ContentStatus::Published);
        let agency_item = item(&org(OrgKind::Agency, "35.23"), None, ContentStatus::Published);
        let malang_item = item(&org(OrgKind::Kim, "35.07.01.2001"), None, ContentStatus::Published);
        let province_item = item(&org(OrgKind::Diskominfo, "35"), None, ContentStatus::Published);
        for c in [&kim_item, &agency_item] {
            assert_eq!(allowed(&tuban, c), ["unpublish", "archive", "view_private"], "{:?}", c.org.kind);
            assert!(can(&admin, Action::UnpublishContent, &Resource::Content(c)));
            assert!(can(&admin, Action::PublishContent, &Resource::Content(c)));
        }
        assert!(allowed(&tuban, &malang_item).is_empty());
        assert!(allowed(&tuban, &province_item).is_empty(), "the province's own content is not the regency's");
        assert!(can(&admin, Action::UnpublishContent, &Resource::Content(&malang_item)));
        let moderated = ContentRef { status: ContentStatus::Archived, moderated: true, ..kim_item };
        assert!(can(&tuban, Action::RestoreContent, &Resource::Content(&moderated)));
        assert!(!can(&Actor::anonymous(), Action::UnpublishContent, &Resource::Content(&moderated)));
        assert!(can(&admin, Action::ManageTopics, &Resource::Platform));
        assert!(!can(&tuban, Action::ManageTopics, &Resource::Platform));
    }

    #[test]
    fn the_review_queue_matches_the_publishing_rule() {
        let kim = org(OrgKind::Kim, "35.23.01.2001");
        let agency = org(OrgKind::Agency, "35.23");
        let orgs = [
            kim.clone(),
            agency.clone(),
            org(OrgKind::Kim, "35.23.02.2001"),
            org(OrgKind::Kim, "35.07.01.2001"),
            org(OrgKind::Agency, "35.07"),
            org(OrgKind::Diskominfo, "35.23"),
            org(OrgKind::Diskominfo, "35.07"),
            org(OrgKind::Diskominfo, "35"),
            org(OrgKind::Body, "35.23"),
        ];
        let actors = [
            actor(vec![]),
            actor(vec![(Role::KimContributor, Scope::Organisation(kim.clone()))]),
            actor(vec![(Role::KimManager, Scope::Organisation(kim.clone()))]),
            actor(vec![(Role::AgencyOfficer, Scope::Organisation(agency.clone()))]),
            actor(vec![(Role::RegencyOfficer, region("35.23"))]),
            actor(vec![(Role::ProvinceAdmin, region("35"))]),
            actor(vec![(Role::FactChecker, region("35"))]),
        ];
        for a in &actors {
            let scope = review_scope(a);
            for o in &orgs {
                let c = ContentRef {
                    regions: vec![crate::content::target_reach(o)],
                    ..item(o, None, ContentStatus::Submitted)
                };
                assert_eq!(
                    scope.covers(o),
                    can(a, Action::PublishContent, &Resource::Content(&c)),
                    "{:?} on {:?} {}",
                    a.grants.iter().map(|g| g.role).collect::<Vec<_>>(),
                    o.kind,
                    o.region
                );
            }
            assert_eq!(!scope.is_empty(), can(a, Action::ReviewContent, &Resource::Platform));
        }
    }

    #[test]
    fn administered_regions_lists_region_scopes() {
        let a = actor(vec![(Role::RegencyOfficer, region("35.23")), (Role::FactChecker, region("35"))]);
        assert_eq!(administered_regions(&a), vec![code("35.23")]);
    }
}
