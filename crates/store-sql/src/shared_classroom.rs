//! Classroom training's store, written once and expanded for both pools by [`classroom_store!`]
//! (see `shared.rs` for why). Every enrolment change first raises the session's `version`, which
//! takes the session's row lock on PostgreSQL (SQLite has one writer anyway), so that places are
//! counted and given under that lock and never overbooked.

pub(crate) const SESSION_COLUMNS: &str = "s.tenant_id, s.id, s.opportunity_id, s.starts_at, \
     s.ends_at, s.location, s.room_id, s.trainer_id, s.online_link, s.capacity, \
     s.requires_approval, s.cancellation_deadline, s.cancelled, \
     (SELECT COUNT(*) FROM session_enrolments e WHERE e.tenant_id = s.tenant_id AND e.session_id = s.id \
        AND e.status IN ('confirmed', 'attended', 'no-show')) AS taken, \
     (SELECT COUNT(*) FROM session_enrolments e WHERE e.tenant_id = s.tenant_id AND e.session_id = s.id \
        AND e.status = 'waitlisted') AS waiting, \
     (SELECT COUNT(*) FROM session_enrolments e WHERE e.tenant_id = s.tenant_id AND e.session_id = s.id \
        AND e.status = 'requested') AS requested";

pub(crate) const ENROLMENT_COLUMNS: &str =
    "id, session_id, person_id, status, enrolled_by, enrolled_at, changed_at";

/// Takes the session's lock for an enrolment change; no row: no such (open) session.
pub(crate) const LOCK_SESSION: &str = "UPDATE training_sessions SET version = version + 1 \
     WHERE tenant_id = $1 AND id = $2 AND NOT cancelled";

pub(crate) const TAKEN: &str = "SELECT COUNT(*) FROM session_enrolments WHERE tenant_id = $1 \
     AND session_id = $2 AND status IN ('confirmed', 'attended', 'no-show')";

/// Implements [`mycel_store::ClassroomStore`] for `$store`.
macro_rules! classroom_store {
    ($store:ident, $db:ty) => {
        mod classroom_rows {
            use mycel_catalogue::classroom::*;
            use mycel_store::catalogue::*;
            use sqlx::Row;

            pub(super) type DbRow = <$db as sqlx::Database>::Row;

            fn count(row: &DbRow, name: &str) -> Result<u32, sqlx::Error> {
                let n: i64 = row.try_get(name)?;
                u32::try_from(n).map_err(|_| crate::shared::corrupt(name, &n.to_string()))
            }

            pub(super) fn session(row: &DbRow) -> Result<SessionRecord, sqlx::Error> {
                let capacity: i32 = row.try_get("capacity")?;
                Ok(SessionRecord {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    tenant_id: row.try_get::<uuid::Uuid, _>("tenant_id")?.into(),
                    opportunity_id: row.try_get::<uuid::Uuid, _>("opportunity_id")?.into(),
                    draft: SessionDraft {
                        starts_at: row.try_get("starts_at")?,
                        ends_at: row.try_get("ends_at")?,
                        location: row.try_get("location")?,
                        room_id: row.try_get::<Option<uuid::Uuid>, _>("room_id")?.map(Into::into),
                        trainer_id: row.try_get::<Option<uuid::Uuid>, _>("trainer_id")?.map(Into::into),
                        online_link: row.try_get("online_link")?,
                        capacity: u32::try_from(capacity)
                            .map_err(|_| crate::shared::corrupt("capacity", &capacity.to_string()))?,
                        requires_approval: row.try_get("requires_approval")?,
                        cancellation_deadline: row.try_get("cancellation_deadline")?,
                    },
                    cancelled: row.try_get("cancelled")?,
                    taken: count(row, "taken")?,
                    waiting: count(row, "waiting")?,
                    requested: count(row, "requested")?,
                })
            }

            pub(super) fn enrolment(row: &DbRow) -> Result<EnrolmentRecord, sqlx::Error> {
                let status: String = row.try_get("status")?;
                Ok(EnrolmentRecord {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    session_id: row.try_get::<uuid::Uuid, _>("session_id")?.into(),
                    person_id: row.try_get::<uuid::Uuid, _>("person_id")?.into(),
                    status: EnrolmentStatus::parse(&status)
                        .ok_or_else(|| crate::shared::corrupt("enrolment status", &status))?,
                    enrolled_by: row.try_get::<Option<uuid::Uuid>, _>("enrolled_by")?.map(Into::into),
                    enrolled_at: row.try_get("enrolled_at")?,
                    changed_at: row.try_get("changed_at")?,
                })
            }

            pub(super) fn room(row: &DbRow) -> Result<Room, sqlx::Error> {
                let capacity: i32 = row.try_get("capacity")?;
                Ok(Room {
                    id: row.try_get::<uuid::Uuid, _>("id")?.into(),
                    draft: RoomDraft {
                        name: row.try_get("name")?,
                        location: row.try_get("location")?,
                        capacity: u32::try_from(capacity)
                            .map_err(|_| crate::shared::corrupt("capacity", &capacity.to_string()))?,
                    },
                })
            }
        }

        impl $store {
            async fn enrolment_in_tx(
                tx: &mut sqlx::Transaction<'static, $db>,
                tenant: uuid::Uuid,
                id: uuid::Uuid,
            ) -> StoreResult<mycel_store::catalogue::EnrolmentRecord> {
                let err = store_error("enrolment");
                let row = sqlx::query(&format!(
                    "SELECT {} FROM session_enrolments WHERE tenant_id = $1 AND id = $2",
                    crate::shared_classroom::ENROLMENT_COLUMNS
                ))
                .bind(tenant)
                .bind(id)
                .fetch_one(&mut **tx)
                .await
                .map_err(&err)?;
                classroom_rows::enrolment(&row).map_err(&err)
            }

            async fn lock_session(
                tx: &mut sqlx::Transaction<'static, $db>,
                tenant: uuid::Uuid,
                session: uuid::Uuid,
            ) -> StoreResult<(u32, bool)> {
                let err = store_error("session");
                let locked = sqlx::query(crate::shared_classroom::LOCK_SESSION)
                    .bind(tenant)
                    .bind(session)
                    .execute(&mut **tx)
                    .await
                    .map_err(&err)?
                    .rows_affected();
                if locked == 0 {
                    return Err(StoreError::NotFound("session"));
                }
                let (capacity, approval): (i32, bool) = sqlx::query_as(
                    "SELECT capacity, requires_approval FROM training_sessions WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant)
                .bind(session)
                .fetch_one(&mut **tx)
                .await
                .map_err(&err)?;
                Ok((u32::try_from(capacity).unwrap_or(0), approval))
            }

            async fn taken(
                tx: &mut sqlx::Transaction<'static, $db>,
                tenant: uuid::Uuid,
                session: uuid::Uuid,
            ) -> StoreResult<u32> {
                let (taken,): (i64,) = sqlx::query_as(crate::shared_classroom::TAKEN)
                    .bind(tenant)
                    .bind(session)
                    .fetch_one(&mut **tx)
                    .await
                    .map_err(store_error("session"))?;
                Ok(u32::try_from(taken).unwrap_or(u32::MAX))
            }

            async fn set_enrolment_status(
                tx: &mut sqlx::Transaction<'static, $db>,
                tenant: uuid::Uuid,
                id: uuid::Uuid,
                status: mycel_catalogue::classroom::EnrolmentStatus,
            ) -> StoreResult<mycel_store::catalogue::EnrolmentRecord> {
                sqlx::query("UPDATE session_enrolments SET status = $3, changed_at = $4 WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant)
                    .bind(id)
                    .bind(status.as_str())
                    .bind(now())
                    .execute(&mut **tx)
                    .await
                    .map_err(store_error("enrolment"))?;
                Self::enrolment_in_tx(tx, tenant, id).await
            }
        }

        #[async_trait::async_trait]
        impl mycel_store::ClassroomStore for $store {
            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn create_room(&self, scope: TenantScope, draft: &mycel_catalogue::classroom::RoomDraft) -> StoreResult<mycel_store::catalogue::Room> {
                let err = store_error("room");
                let id = uuid::Uuid::now_v7();
                sqlx::query("INSERT INTO rooms (tenant_id, id, name, location, capacity, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(scope.tenant_id().as_uuid())
                    .bind(id)
                    .bind(draft.name.trim())
                    .bind(draft.location.trim())
                    .bind(i32::try_from(draft.capacity).map_err(|_| StoreError::InvalidValue("capacity too large".into()))?)
                    .bind(now())
                    .execute(&self.pool)
                    .await
                    .map_err(&err)?;
                Ok(mycel_store::catalogue::Room {
                    id: id.into(),
                    draft: mycel_catalogue::classroom::RoomDraft {
                        name: draft.name.trim().to_owned(),
                        location: draft.location.trim().to_owned(),
                        capacity: draft.capacity,
                    },
                })
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id()))]
            async fn rooms(&self, scope: TenantScope) -> StoreResult<Vec<mycel_store::catalogue::Room>> {
                let err = store_error("room");
                let rows = sqlx::query("SELECT id, name, location, capacity FROM rooms WHERE tenant_id = $1 ORDER BY name, id")
                    .bind(scope.tenant_id().as_uuid())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(&err)?;
                rows.iter().map(|r| classroom_rows::room(r).map_err(&err)).collect()
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), opportunity = %opportunity))]
            async fn create_training_session(
                &self,
                scope: TenantScope,
                opportunity: OpportunityId,
                draft: &mycel_catalogue::classroom::SessionDraft,
            ) -> StoreResult<mycel_store::catalogue::SessionRecord> {
                let err = store_error("session");
                let tenant = scope.tenant_id().as_uuid();
                let id = uuid::Uuid::now_v7();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let room_capacity = match draft.room_id {
                    Some(room) => {
                        let (capacity,): (i32,) = sqlx::query_as("SELECT capacity FROM rooms WHERE tenant_id = $1 AND id = $2")
                            .bind(tenant)
                            .bind(room.as_uuid())
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(|_| StoreError::InvalidReference("room_id: no such room in this company".into()))?;
                        Some(u32::try_from(capacity).unwrap_or(0))
                    }
                    None => None,
                };
                draft
                    .validate(room_capacity)
                    .map_err(|e| StoreError::InvalidValue(e.to_string()))?;
                // Two sessions for the same trainer or room must not pass these checks at once:
                // touching their rows takes their locks on PostgreSQL (SQLite has one writer).
                if let Some(room) = draft.room_id {
                    sqlx::query("UPDATE rooms SET capacity = capacity WHERE tenant_id = $1 AND id = $2")
                        .bind(tenant).bind(room.as_uuid()).execute(&mut *tx).await.map_err(&err)?;
                }
                if let Some(trainer) = draft.trainer_id {
                    sqlx::query("UPDATE people SET display_name = display_name WHERE tenant_id = $1 AND id = $2")
                        .bind(tenant).bind(trainer.as_uuid()).execute(&mut *tx).await.map_err(&err)?;
                }
                for (column, value, error) in [
                    ("trainer_id", draft.trainer_id.map(|t| t.as_uuid()), mycel_catalogue::classroom::ClassroomError::TrainerBusy),
                    ("room_id", draft.room_id.map(|r| r.as_uuid()), mycel_catalogue::classroom::ClassroomError::RoomBusy),
                ] {
                    let Some(value) = value else { continue };
                    let (busy,): (i64,) = sqlx::query_as(&format!(
                        "SELECT COUNT(*) FROM training_sessions WHERE tenant_id = $1 AND {column} = $2 \
                         AND NOT cancelled AND starts_at < $4 AND ends_at > $3"
                    ))
                    .bind(tenant)
                    .bind(value)
                    .bind(draft.starts_at)
                    .bind(draft.ends_at)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(&err)?;
                    if busy > 0 {
                        return Err(StoreError::Conflict(error.to_string()));
                    }
                }
                sqlx::query(
                    "INSERT INTO training_sessions (tenant_id, id, opportunity_id, starts_at, ends_at, location, room_id, \
                     trainer_id, online_link, capacity, requires_approval, cancellation_deadline, cancelled, version, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, FALSE, 0, $13)",
                )
                .bind(tenant)
                .bind(id)
                .bind(opportunity.as_uuid())
                .bind(draft.starts_at)
                .bind(draft.ends_at)
                .bind(draft.location.trim())
                .bind(draft.room_id.map(|r| r.as_uuid()))
                .bind(draft.trainer_id.map(|t| t.as_uuid()))
                .bind(&draft.online_link)
                .bind(i32::try_from(draft.capacity).unwrap_or(i32::MAX))
                .bind(draft.requires_approval)
                .bind(draft.cancellation_deadline)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(&err)?;
                // Upcoming dates are part of the opportunity as the search index holds it.
                sqlx::query(crate::shared_catalogue::NEXT_REVISION).fetch_one(&mut *tx).await.map_err(&err)?;
                tx.commit().await.map_err(&err)?;
                drop(_writer);
                self.training_session(scope, id.into()).await
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), session = %id))]
            async fn training_session(&self, scope: TenantScope, id: mycel_organisation::SessionId) -> StoreResult<mycel_store::catalogue::SessionRecord> {
                let err = store_error("session");
                let row = sqlx::query(&format!(
                    "SELECT {} FROM training_sessions s WHERE s.tenant_id = $1 AND s.id = $2",
                    crate::shared_classroom::SESSION_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(id.as_uuid())
                .fetch_one(&self.pool)
                .await
                .map_err(&err)?;
                classroom_rows::session(&row).map_err(&err)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), opportunity = %opportunity))]
            async fn sessions_of(&self, scope: TenantScope, opportunity: OpportunityId) -> StoreResult<Vec<mycel_store::catalogue::SessionRecord>> {
                let err = store_error("session");
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM training_sessions s WHERE s.tenant_id = $1 AND s.opportunity_id = $2 ORDER BY s.starts_at, s.id",
                    crate::shared_classroom::SESSION_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(opportunity.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter().map(|r| classroom_rows::session(r).map_err(&err)).collect()
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), count = opportunities.len()))]
            async fn upcoming_session_starts(
                &self,
                scope: TenantScope,
                opportunities: &[OpportunityId],
                after: chrono::DateTime<chrono::Utc>,
            ) -> StoreResult<Vec<(OpportunityId, chrono::DateTime<chrono::Utc>)>> {
                let err = store_error("session");
                let mut found = Vec::new();
                for chunk in opportunities.chunks(crate::shared_competencies::CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT opportunity_id, starts_at FROM training_sessions WHERE tenant_id = ");
                    qb.push_bind(scope.tenant_id().as_uuid());
                    qb.push(" AND NOT cancelled AND starts_at > ");
                    qb.push_bind(after);
                    qb.push(" AND opportunity_id IN (");
                    let mut list = qb.separated(", ");
                    for id in chunk {
                        list.push_bind(id.as_uuid());
                    }
                    qb.push(") ORDER BY starts_at");
                    let rows: Vec<(uuid::Uuid, chrono::DateTime<chrono::Utc>)> =
                        qb.build_query_as().fetch_all(&self.pool).await.map_err(&err)?;
                    found.extend(rows.into_iter().map(|(o, t)| (o.into(), t)));
                }
                Ok(found)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), session = %id))]
            async fn cancel_training_session(&self, scope: TenantScope, id: mycel_organisation::SessionId) -> StoreResult<Vec<mycel_store::catalogue::EnrolmentRecord>> {
                let err = store_error("session");
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                Self::lock_session(&mut tx, tenant, id.as_uuid()).await?;
                sqlx::query("UPDATE training_sessions SET cancelled = TRUE WHERE tenant_id = $1 AND id = $2")
                    .bind(tenant)
                    .bind(id.as_uuid())
                    .execute(&mut *tx)
                    .await
                    .map_err(&err)?;
                sqlx::query(crate::shared_catalogue::NEXT_REVISION).fetch_one(&mut *tx).await.map_err(&err)?;
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM session_enrolments WHERE tenant_id = $1 AND session_id = $2 \
                     AND status IN ('requested', 'confirmed', 'waitlisted') ORDER BY enrolled_at, id",
                    crate::shared_classroom::ENROLMENT_COLUMNS
                ))
                .bind(tenant)
                .bind(id.as_uuid())
                .fetch_all(&mut *tx)
                .await
                .map_err(&err)?;
                let open: Vec<mycel_store::catalogue::EnrolmentRecord> =
                    rows.iter().map(|r| classroom_rows::enrolment(r).map_err(&err)).collect::<Result<_, _>>()?;
                sqlx::query("UPDATE session_enrolments SET status = 'cancelled', changed_at = $3 WHERE tenant_id = $1 AND session_id = $2 \
                             AND status IN ('requested', 'confirmed', 'waitlisted')")
                    .bind(tenant)
                    .bind(id.as_uuid())
                    .bind(now())
                    .execute(&mut *tx)
                    .await
                    .map_err(&err)?;
                tx.commit().await.map_err(&err)?;
                Ok(open)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), session = %session))]
            async fn enrol(
                &self,
                scope: TenantScope,
                session: mycel_organisation::SessionId,
                person: PersonId,
                enrolled_by: Option<PersonId>,
                approved: bool,
            ) -> StoreResult<mycel_store::catalogue::EnrolmentRecord> {
                let err = store_error("enrolment");
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let (capacity, requires_approval) = Self::lock_session(&mut tx, tenant, session.as_uuid()).await?;
                let taken = Self::taken(&mut tx, tenant, session.as_uuid()).await?;
                let status = mycel_catalogue::classroom::status_for_new_enrolment(taken, capacity, requires_approval, approved);
                let id = uuid::Uuid::now_v7();
                let at = now();
                sqlx::query("INSERT INTO session_enrolments (tenant_id, id, session_id, person_id, status, enrolled_by, enrolled_at, changed_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
                    .bind(tenant)
                    .bind(id)
                    .bind(session.as_uuid())
                    .bind(person.as_uuid())
                    .bind(status.as_str())
                    .bind(enrolled_by.map(|p| p.as_uuid()))
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match store_error("enrolment")(e) {
                        StoreError::Conflict(_) => StoreError::Conflict("this person is already enrolled in this session".into()),
                        other => other,
                    })?;
                let record = Self::enrolment_in_tx(&mut tx, tenant, id).await?;
                tx.commit().await.map_err(&err)?;
                Ok(record)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), enrolment = %id))]
            async fn decide_enrolment(&self, scope: TenantScope, id: mycel_organisation::EnrolmentId, approve: bool) -> StoreResult<mycel_store::catalogue::EnrolmentRecord> {
                use mycel_catalogue::classroom::{status_for_new_enrolment, EnrolmentStatus};
                let err = store_error("enrolment");
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                // The session's lock first, then the enrolment as it is under that lock, so that a
                // concurrent approval, refusal or cancellation is seen.
                let session = Self::enrolment_in_tx(&mut tx, tenant, id.as_uuid()).await?.session_id;
                let (capacity, _) = Self::lock_session(&mut tx, tenant, session.as_uuid()).await?;
                let current = Self::enrolment_in_tx(&mut tx, tenant, id.as_uuid()).await?;
                if current.status != EnrolmentStatus::Requested {
                    return Err(StoreError::Conflict(format!("the enrolment is {}, not awaiting approval", current.status.as_str())));
                }
                let status = if approve {
                    let taken = Self::taken(&mut tx, tenant, current.session_id.as_uuid()).await?;
                    status_for_new_enrolment(taken, capacity, false, true)
                } else {
                    EnrolmentStatus::Cancelled
                };
                let record = Self::set_enrolment_status(&mut tx, tenant, id.as_uuid(), status).await?;
                tx.commit().await.map_err(&err)?;
                Ok(record)
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), enrolment = %id))]
            async fn cancel_enrolment(
                &self,
                scope: TenantScope,
                id: mycel_organisation::EnrolmentId,
            ) -> StoreResult<(mycel_store::catalogue::EnrolmentRecord, mycel_store::catalogue::Promotions)> {
                use mycel_catalogue::classroom::{promotions, EnrolmentStatus};
                let err = store_error("enrolment");
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                let session = Self::enrolment_in_tx(&mut tx, tenant, id.as_uuid()).await?.session_id.as_uuid();
                let (capacity, _) = Self::lock_session(&mut tx, tenant, session).await?;
                let current = Self::enrolment_in_tx(&mut tx, tenant, id.as_uuid()).await?;
                if !current.status.is_open() {
                    return Err(StoreError::Conflict(format!("the enrolment is {} already", current.status.as_str())));
                }
                let cancelled = Self::set_enrolment_status(&mut tx, tenant, id.as_uuid(), EnrolmentStatus::Cancelled).await?;
                let taken = Self::taken(&mut tx, tenant, session).await?;
                let waiting: Vec<(uuid::Uuid,)> = sqlx::query_as(
                    "SELECT id FROM session_enrolments WHERE tenant_id = $1 AND session_id = $2 AND status = 'waitlisted' ORDER BY enrolled_at, id",
                )
                .bind(tenant)
                .bind(session)
                .fetch_all(&mut *tx)
                .await
                .map_err(&err)?;
                let mut promoted = Vec::new();
                for (waiting_id,) in waiting.into_iter().take(promotions(taken, capacity, usize::MAX)) {
                    promoted.push(Self::set_enrolment_status(&mut tx, tenant, waiting_id, EnrolmentStatus::Confirmed).await?);
                }
                tx.commit().await.map_err(&err)?;
                Ok((cancelled, mycel_store::catalogue::Promotions { promoted }))
            }

            #[tracing::instrument(skip_all, fields(tenant = %scope.tenant_id(), session = %session))]
            async fn record_attendance(
                &self,
                scope: TenantScope,
                session: mycel_organisation::SessionId,
                attendance: &[(PersonId, bool)],
            ) -> StoreResult<Vec<mycel_store::catalogue::EnrolmentRecord>> {
                use mycel_catalogue::classroom::EnrolmentStatus;
                let err = store_error("enrolment");
                let tenant = scope.tenant_id().as_uuid();
                let _writer = self.exclusive_write().await;
                let mut tx = self.pool.begin().await.map_err(&err)?;
                Self::lock_session(&mut tx, tenant, session.as_uuid()).await?;
                let mut updated = Vec::with_capacity(attendance.len());
                for (person, attended) in attendance {
                    let found: Option<(uuid::Uuid,)> = sqlx::query_as(
                        "SELECT id FROM session_enrolments WHERE tenant_id = $1 AND session_id = $2 AND person_id = $3 \
                         AND status IN ('confirmed', 'attended', 'no-show')",
                    )
                    .bind(tenant)
                    .bind(session.as_uuid())
                    .bind(person.as_uuid())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(&err)?;
                    let Some((id,)) = found else {
                        return Err(StoreError::InvalidReference(format!("person {person} has no place in this session")));
                    };
                    let status = if *attended { EnrolmentStatus::Attended } else { EnrolmentStatus::NoShow };
                    updated.push(Self::set_enrolment_status(&mut tx, tenant, id, status).await?);
                }
                tx.commit().await.map_err(&err)?;
                Ok(updated)
            }

            async fn enrolment(&self, scope: TenantScope, id: mycel_organisation::EnrolmentId) -> StoreResult<mycel_store::catalogue::EnrolmentRecord> {
                let err = store_error("enrolment");
                let row = sqlx::query(&format!(
                    "SELECT {} FROM session_enrolments WHERE tenant_id = $1 AND id = $2",
                    crate::shared_classroom::ENROLMENT_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(id.as_uuid())
                .fetch_one(&self.pool)
                .await
                .map_err(&err)?;
                classroom_rows::enrolment(&row).map_err(&err)
            }

            async fn session_enrolments(&self, scope: TenantScope, session: mycel_organisation::SessionId) -> StoreResult<Vec<mycel_store::catalogue::EnrolmentRecord>> {
                let err = store_error("enrolment");
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM session_enrolments WHERE tenant_id = $1 AND session_id = $2 ORDER BY enrolled_at, id",
                    crate::shared_classroom::ENROLMENT_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(session.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter().map(|r| classroom_rows::enrolment(r).map_err(&err)).collect()
            }

            async fn trainer_sessions(
                &self,
                scope: TenantScope,
                trainer: PersonId,
                after: chrono::DateTime<chrono::Utc>,
            ) -> StoreResult<Vec<mycel_store::catalogue::SessionRecord>> {
                let err = store_error("session");
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM training_sessions s WHERE s.tenant_id = $1 AND s.trainer_id = $2 \
                     AND NOT s.cancelled AND s.ends_at > $3 ORDER BY s.starts_at, s.id",
                    crate::shared_classroom::SESSION_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(trainer.as_uuid())
                .bind(after)
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter().map(|r| classroom_rows::session(r).map_err(&err)).collect()
            }

            async fn requests_for_manager(&self, scope: TenantScope, manager: PersonId) -> StoreResult<Vec<mycel_store::catalogue::EnrolmentRecord>> {
                let err = store_error("enrolment");
                let rows = sqlx::query(
                    "SELECT e.id, e.session_id, e.person_id, e.status, e.enrolled_by, e.enrolled_at, e.changed_at \
                     FROM session_enrolments e JOIN people p ON p.tenant_id = e.tenant_id AND p.id = e.person_id \
                     WHERE e.tenant_id = $1 AND p.manager_id = $2 AND e.status = 'requested' ORDER BY e.enrolled_at, e.id",
                )
                .bind(scope.tenant_id().as_uuid())
                .bind(manager.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter().map(|r| classroom_rows::enrolment(r).map_err(&err)).collect()
            }

            async fn person_enrolments(&self, scope: TenantScope, person: PersonId) -> StoreResult<Vec<mycel_store::catalogue::EnrolmentRecord>> {
                let err = store_error("enrolment");
                let rows = sqlx::query(&format!(
                    "SELECT {} FROM session_enrolments WHERE tenant_id = $1 AND person_id = $2 ORDER BY enrolled_at DESC, id DESC",
                    crate::shared_classroom::ENROLMENT_COLUMNS
                ))
                .bind(scope.tenant_id().as_uuid())
                .bind(person.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(&err)?;
                rows.iter().map(|r| classroom_rows::enrolment(r).map_err(&err)).collect()
            }
        }
    };
}

pub(crate) use classroom_store;
