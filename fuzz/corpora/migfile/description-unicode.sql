-- migrate:description Ajoute la table « commandes » — 注文 🚀
-- migrate:up
CREATE TABLE commandes(id int);
