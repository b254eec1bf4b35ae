SELECT 'héllo wörld ✓ 日本語';
CREATE TABLE ünïcödé (naïve int) ;
SELECT 'ß' FROM WHERE;
SELECT '🚀🚀🚀' +;
