//! Tables of the slots domain.

/// One weekly posting slot of a connected account.
pub mod posting_slot {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "posting_slots")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub connection_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub weekday: crate::slots::model::Weekday,
        /// Wall-clock `HH:MM` in `timezone`.
        #[sea_orm(primary_key, auto_increment = false)]
        pub local_time: String,
        /// The IANA zone of the account's slots (the same on each of its rows).
        pub timezone: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
