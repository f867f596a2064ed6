//! The contract of [`crate::StrategicGoalStore`]: goals kept per org unit and company, one per unit
//! and competency, changed and deleted; the goals that apply to a unit (its own and its
//! ancestors') in one read; strategic targets in the aggregates' pages; the planning objective.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::contract_catalogue::company;
use crate::contract_competencies::{esco_like, find, no_progress, person};
use crate::strategic_goals::PathObjective;
use crate::*;
use chrono::{NaiveDate, SubsecRound, Utc};
use mycel_competency::scale::Level;
use mycel_competency::StrategicGoal;
use mycel_organisation::{CompetencyId, OrgUnitId, StrategicGoalId};

fn goal(unit: OrgUnitId, competency: CompetencyId, level: f64, reason: &str) -> StrategicGoal {
    let now = Utc::now().trunc_subsecs(6);
    StrategicGoal {
        id: StrategicGoalId::generate(),
        org_unit_id: unit,
        competency_id: competency,
        target: Level::new(level).unwrap(),
        reason: reason.into(),
        due: NaiveDate::from_ymd_opt(2027, 12, 31),
        created_at: now,
        updated_at: now,
    }
}

async fn unit(
    store: &dyn Store,
    scope: TenantScope,
    parent: Option<OrgUnitId>,
    name: &str,
) -> OrgUnitId {
    store
        .create_org_unit(
            scope,
            NewOrgUnit {
                parent_id: parent,
                name: name.into(),
            },
        )
        .await
        .unwrap()
        .id
}

pub async fn strategic_goals_apply_to_a_units_subtree_and_stay_in_their_company(store: &dyn Store) {
    let nord = company(store, "nord").await;
    let sued = company(store, "sued").await;
    store
        .import_framework(None, &esco_like("v1", true), &no_progress)
        .await
        .unwrap();
    let till = find(store, nord, "cash register").await[0].id;
    let shelves = find(store, nord, "stock shelves").await[0].id;
    let region = unit(store, nord, None, "Region Nord").await;
    let market = unit(store, nord, Some(region), "Markt Kiel").await;
    let office = unit(store, nord, None, "Zentrale").await;
    let sued_unit = unit(store, sued, None, "Region Süd").await;

    // Round trip.
    let digital = goal(region, till, 3.0, "Digitalisierung der Filialen 2027");
    store.create_strategic_goal(nord, &digital).await.unwrap();
    assert_eq!(
        store.strategic_goal(nord, digital.id).await.unwrap(),
        digital
    );
    let local = goal(market, shelves, 2.0, "Neues Lager");
    store.create_strategic_goal(nord, &local).await.unwrap();
    let tight = goal(market, till, 4.0, "Kassenumstellung");
    store.create_strategic_goal(nord, &tight).await.unwrap();

    // One goal per unit and competency.
    assert!(matches!(
        store
            .create_strategic_goal(nord, &goal(region, till, 1.0, "noch einmal"))
            .await,
        Err(StoreError::Conflict(_))
    ));

    // The goals of a unit: its own only; of the company: all.
    assert_eq!(
        store.org_unit_strategic_goals(nord, region).await.unwrap(),
        vec![digital.clone()]
    );
    assert_eq!(
        store.org_unit_strategic_goals(nord, market).await.unwrap(),
        vec![local.clone(), tight.clone()]
    );
    assert_eq!(store.tenant_strategic_goals(nord).await.unwrap().len(), 3);

    // What applies to a unit: the root's first, each with the name of the unit that set it.
    let applying = store
        .strategic_goals_applying_to(nord, market)
        .await
        .unwrap();
    let seen: Vec<(StrategicGoalId, &str)> = applying
        .iter()
        .map(|a| (a.goal.id, a.org_unit_name.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (digital.id, "Region Nord"),
            (local.id, "Markt Kiel"),
            (tight.id, "Markt Kiel"),
        ]
    );
    assert_eq!(
        store
            .strategic_goals_applying_to(nord, region)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(store
        .strategic_goals_applying_to(nord, office)
        .await
        .unwrap()
        .is_empty());

    // Another company sees none of it, cannot set a goal on this company's unit, and cannot
    // change or delete its goals.
    assert!(matches!(
        store.strategic_goal(sued, digital.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(store
        .strategic_goals_applying_to(sued, market)
        .await
        .unwrap()
        .is_empty());
    assert!(store.tenant_strategic_goals(sued).await.unwrap().is_empty());
    assert!(matches!(
        store
            .create_strategic_goal(sued, &goal(region, till, 2.0, "fremd"))
            .await,
        Err(StoreError::InvalidReference(_))
    ));
    let mut changed = digital.clone();
    changed.target = Level::new(2.5).unwrap();
    changed.reason = "Digitalisierung 2028".into();
    changed.due = None;
    changed.updated_at = Utc::now().trunc_subsecs(6);
    assert!(matches!(
        store.update_strategic_goal(sued, &changed).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.delete_strategic_goal(sued, digital.id).await,
        Err(StoreError::NotFound(_))
    ));
    // A goal of its own on its own unit is fine.
    store
        .create_strategic_goal(sued, &goal(sued_unit, till, 1.0, "Süd"))
        .await
        .unwrap();

    // An unknown competency is refused and nothing is stored.
    assert!(matches!(
        store
            .create_strategic_goal(nord, &goal(office, CompetencyId::generate(), 2.0, "x"))
            .await,
        Err(StoreError::InvalidReference(_))
    ));
    assert!(store
        .org_unit_strategic_goals(nord, office)
        .await
        .unwrap()
        .is_empty());

    // Change and delete.
    store.update_strategic_goal(nord, &changed).await.unwrap();
    assert_eq!(
        store.strategic_goal(nord, digital.id).await.unwrap(),
        changed
    );
    store.delete_strategic_goal(nord, local.id).await.unwrap();
    assert!(matches!(
        store.delete_strategic_goal(nord, local.id).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        store.org_unit_strategic_goals(nord, market).await.unwrap(),
        vec![tight.clone()]
    );

    // The aggregates' pages: a person in the market gets the region's and the market's targets
    // (the higher one where they name the same competency); one in the office none.
    let anna = person(store, nord, "Anna", Some(market)).await;
    let bernd = person(store, nord, "Bernd", Some(office)).await;
    let carla = person(store, nord, "Carla", None).await;
    let page = store
        .group_competencies(nord, competencies::PeopleGroup::Tenant, None, 100)
        .await
        .unwrap();
    let targets_of = |id| {
        page.iter()
            .find(|p| p.person_id == id)
            .map(|p| p.targets.clone())
            .unwrap()
    };
    assert_eq!(targets_of(anna.id), vec![(till, Level::new(4.0).unwrap())]);
    assert!(targets_of(bernd.id).is_empty());
    assert!(targets_of(carla.id).is_empty());
    let region_page = store
        .group_competencies(nord, competencies::PeopleGroup::OrgUnit(region), None, 100)
        .await
        .unwrap();
    assert_eq!(region_page.len(), 1);
    assert_eq!(
        region_page[0].targets,
        vec![(till, Level::new(4.0).unwrap())]
    );
}

pub async fn the_path_objective_is_kept_per_company(store: &dyn Store) {
    let nord = company(store, "nord").await;
    let sued = company(store, "sued").await;
    assert_eq!(
        store.path_objective(nord).await.unwrap(),
        PathObjective::LeastTime
    );
    store
        .set_path_objective(nord, PathObjective::LeastCost)
        .await
        .unwrap();
    assert_eq!(
        store.path_objective(nord).await.unwrap(),
        PathObjective::LeastCost
    );
    assert_eq!(
        store.path_objective(sued).await.unwrap(),
        PathObjective::LeastTime
    );
    store
        .set_path_objective(nord, PathObjective::LeastTime)
        .await
        .unwrap();
    assert_eq!(
        store.path_objective(nord).await.unwrap(),
        PathObjective::LeastTime
    );
}
