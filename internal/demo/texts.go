package demo

// The drafts of the demo's invented remisser, as the handläggare wrote
// them in Markdown.

// answeredYttrande is Huddinge's answer on Försvarsdepartementet's
// promemoria.
const answeredYttrande = `Huddinge kommun har beretts tillfälle att yttra sig över promemorian och lämnar följande synpunkter.

# Sammanfattning

Huddinge kommun **tillstyrker** att ansvaret för kommunernas krisberedskap samlas, men anser att kommunerna behöver ersättning för de nya uppgifterna och tid att genomföra dem.

# Synpunkter

## Ett samlat ansvar

Kommunen delar bedömningen att ett samlat ansvar gör det tydligare vem som leder arbetet före och under en kris. Det är viktigt att

1. ansvaret följs av en ersättning som täcker kommunernas faktiska kostnader,
2. övergången sker i god tid före mandatperiodens början,
3. Socialnämndens verksamheter, som ska fungera även under en kris, ingår i planeringen från början.

## Socialnämndens synpunkter

Socialnämnden framhåller att hemtjänsten och de särskilda boendena måste kunna prioriteras i en kris, och att personalens kontaktuppgifter behöver hållas aktuella. Kommunen instämmer.

| Förslag | Kommunens ställningstagande |
|---|---|
| Samlat ansvar för krisberedskap | Tillstyrker |
| Ersättning till kommunerna | Tillstyrker med tillägg |
| Tidpunkt för ikraftträdande | Avstyrker |
`

// answeredTjansteutlatande is the förvaltning's report to KSAU on the
// same promemoria.
const answeredTjansteutlatande = `# Förslag till beslut

Kommunstyrelsen antar förvaltningens förslag till yttrande och överlämnar det till Försvarsdepartementet.

# Sammanfattning

Huddinge kommun har fått promemorian på remiss. Förvaltningen har inhämtat Socialnämndens synpunkter och föreslår att kommunen tillstyrker förslaget med de tillägg som framgår av yttrandet.

# Ekonomiska konsekvenser

Förslaget kan medföra ökade kostnader för kommunen om ersättningen inte täcker de nya uppgifterna.
`

// auYttrande is the draft answer on Kulturdepartementet's promemoria.
const auYttrande = `Huddinge kommun har beretts tillfälle att yttra sig över promemorian och lämnar följande synpunkter.

# Sammanfattning

Huddinge kommun är positiv till att kulturmiljön får ett tydligare skydd i planeringen, men avstyrker att länsstyrelsens prövning utökas.

# Synpunkter

Kommunen har redan ett kulturmiljöprogram som ligger till grund för detaljplanerna. Ett utökat statligt samråd skulle förlänga planprocessen utan att skyddet blir bättre.
`
