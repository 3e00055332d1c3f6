package orgsvg

// ministry returns a chart shaped like the department's: the minister's
// office, the deputy minister, five sectors, three to five directorates
// in each and none to three teams under each directorate, 60 boxes. The
// sectors are the department's; the directorates, teams and people are
// samples, with names as long as real ones.
func ministry() Box {
	unit := func(id, title, sub string, kids ...Box) Box {
		return Box{ID: id, Title: title, Subtitle: sub, URL: "#unite-" + id, Children: kids}
	}
	team := func(id, title string) Box { return unit(id, title, "") }
	return unit("cabinet", "Cabinet de la ministre des Relations internationales et de la Francophonie", "",
		unit("sm", "Sous-ministre", "Julie Gagnon",
			unit("spafm", "Politiques et affaires francophones et multilatérales", "Sous-ministre adjoint : Marc-André Lévesque",
				unit("dfsi", "Direction de la Francophonie et de la Solidarité internationale", "Nathalie Bouchard, directrice",
					team("dfsi-fr", "Équipe Francophonie"),
					team("dfsi-si", "Programmes de solidarité internationale"),
					team("dfsi-jeunesse", "Mobilité jeunesse")),
				unit("dom", "Direction des organisations multilatérales", "DOM",
					team("dom-unesco", "Délégation permanente auprès de l’UNESCO (liaison)"),
					team("dom-climat", "Diplomatie climatique")),
				unit("dpol", "Direction des politiques et de la prospective", "DPP",
					team("dpol-analyse", "Analyse stratégique")),
				unit("dcs", "Direction de la coopération scientifique et culturelle", "DCSC",
					team("dcs-culture", "Diplomatie culturelle"),
					team("dcs-science", "Coopération scientifique et universitaire"))),
			unit("sab", "Affaires bilatérales", "Sous-ministre adjointe : Isabelle Côté",
				unit("dame", "Direction des Amériques", "Pierre-Luc Gauthier, directeur",
					team("dame-eu", "États-Unis"),
					team("dame-mx", "Mexique, Amérique latine et Antilles")),
				unit("deur", "Direction de l’Europe", "DEUR",
					team("deur-fr", "France"),
					team("deur-ue", "Union européenne et Europe centrale"),
					team("deur-ru", "Royaume-Uni, Irlande et pays nordiques")),
				unit("dasie", "Direction de l’Asie-Pacifique", "DAP",
					team("dasie-cn", "Chine"),
					team("dasie-jp", "Japon et Corée du Sud")),
				unit("dafr", "Direction de l’Afrique et du Moyen-Orient", "DAMO",
					team("dafr-ss", "Afrique subsaharienne"),
					team("dafr-mo", "Afrique du Nord et Moyen-Orient")),
				unit("dreseau", "Direction du soutien au réseau des représentations", "DSRR",
					team("dreseau-log", "Logistique des représentations"))),
			unit("scaip", "Coordination de l’action internationale et protocole", "Sous-ministre adjoint : François Bélanger",
				unit("protocole", "Direction du protocole et des visites officielles", "Chef du protocole",
					team("protocole-visites", "Visites officielles"),
					team("protocole-consulaire", "Affaires consulaires et privilèges")),
				unit("dcai", "Direction de la coordination de l’action internationale du gouvernement", "DCAIG",
					team("dcai-ententes", "Ententes internationales")),
				unit("devt", "Direction des événements internationaux", "DEI",
					team("devt-missions", "Grands événements et missions ministérielles"))),
			unit("ssmp", "Services au ministère et au personnel", "Sous-ministre adjointe : Sophie Roy",
				unit("drh", "Direction des ressources humaines", "DRH",
					team("drh-dotation", "Dotation et relations de travail"),
					team("drh-mobilite", "Mobilité internationale du personnel")),
				unit("drf", "Direction des ressources financières et matérielles", "DRFM",
					team("drf-budget", "Budget"),
					team("drf-approv", "Approvisionnement")),
				unit("dti", "Direction des technologies de l’information", "DTI",
					team("dti-infra", "Infrastructures"),
					team("dti-secu", "Sécurité de l’information")),
				unit("dcom", "Direction des communications", "DC",
					team("dcom-web", "Web et médias sociaux"),
					team("dcom-presse", "Relations de presse"))),
			unit("srsm", "Équipes relevant de la sous-ministre", "",
				unit("sg", "Secrétariat général", "Caroline Morin, secrétaire générale",
					team("sg-acces", "Accès à l’information et protection des renseignements personnels"),
					team("sg-plaintes", "Bureau des plaintes")),
				unit("dvi", "Direction de la vérification interne", "DVI"),
				unit("daj", "Direction des affaires juridiques", "DAJ"),
				unit("dplan", "Direction de la planification stratégique et de la reddition de comptes", "DPSRC",
					team("dplan-perf", "Mesure de la performance")))))
}
